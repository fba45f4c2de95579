import net from 'node:net';
import { freePort, freePorts } from './freePort';

const bind = (port: number): Promise<net.Server> =>
  new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => resolve(srv));
  });

import fs from 'node:fs';

describe('freePort', () => {
  it('takes ports below the kernel ephemeral range (where outgoing connections take theirs), else any', async () => {
    const [lo] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    const ports = await freePorts(20);
    for (const p of ports) expect(p >= 10_000 && p < lo).toBe(true);
    // a random source that always lands on a taken port: the kernel's choice after the probes
    const taken = await bind(ports[0]);
    try {
      const fallback = await freePort('127.0.0.1', () => (ports[0] - 10_000) / (lo - 10_000));
      expect(fallback).not.toBe(ports[0]);
      expect(fallback).toBeGreaterThanOrEqual(lo);
    } finally {
      taken.close();
    }
  });

  it('gives ports that can be bound, distinct when several are asked for', async () => {
    const ports = await freePorts(4);
    expect(new Set(ports).size).toBe(4);
    const servers = await Promise.all(ports.map(bind));
    try {
      expect(ports).not.toContain(await freePort()); // the four are bound now: the kernel gives another one
    } finally {
      for (const s of servers) s.close();
    }
  });
});
