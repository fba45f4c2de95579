import fs from 'node:fs';
import net from 'node:net';

/** Linux's range of ephemeral ports (the local ports of outgoing connections), when it can be read. */
function ephemeralRange(): [number, number] | undefined {
  try {
    const [lo, hi] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return Number.isInteger(lo) && Number.isInteger(hi) && lo <= hi ? [lo, hi] : undefined;
  } catch {
    return undefined;
  }
}

function listenOnce(port: number, host: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(undefined));
    srv.listen(port, host, () => {
      const addr = srv.address();
      const got = typeof addr === 'object' && addr ? addr.port : undefined;
      srv.close(() => resolve(got));
    });
  });
}

/** Below this the ports of well-known services live; the probe range starts here. */
const LOWEST = 10_000;

/**
 * A free TCP port on the loopback address (tests never assume defaults are free). Taken below the kernel's
 * ephemeral range when there is room (10000 up to it): a port the kernel hands out for `listen(0)` comes from
 * the range it also uses for the local side of outgoing connections, so under load another process's
 * connection can take it before the service binds it. Random probes, then `listen(0)` as the fallback.
 */
export async function freePort(host = '127.0.0.1', random: () => number = Math.random): Promise<number> {
  const eph = ephemeralRange();
  if (eph && eph[0] - 1 - LOWEST >= 1000) {
    const span = eph[0] - LOWEST;
    for (let i = 0; i < 50; i++) {
      const got = await listenOnce(LOWEST + Math.floor(random() * span), host);
      if (got !== undefined) return got;
    }
  }
  const any = await listenOnce(0, host);
  if (any === undefined) throw new Error(`no free TCP port on ${host}`);
  return any;
}

/** Several distinct free ports. */
export async function freePorts(n: number, host = '127.0.0.1'): Promise<number[]> {
  const out = new Set<number>();
  while (out.size < n) out.add(await freePort(host));
  return [...out];
}
