import net from 'node:net';
import { freePort, freePorts } from './freePort';

const bind = (port: number): Promise<net.Server> =>
  new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => resolve(srv));
  });

describe('freePort', () => {
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
