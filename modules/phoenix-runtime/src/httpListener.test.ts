import http from 'node:http';
import { listenHttp } from './httpListener';

function get(port: number, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('listenHttp', () => {
  it('binds a free port, serves, and stops idempotently', async () => {
    const l = await listenHttp((_req, res) => res.end('ok'), { port: 0, bindAddress: '127.0.0.1' });
    expect(l.port).toBeGreaterThan(0);
    expect(await get(l.port)).toEqual({ status: 200, body: 'ok' });
    const s = l.stop();
    expect(l.stop()).toBe(s);
    await s;
    await expect(get(l.port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('refuses a port already in use', async () => {
    const a = await listenHttp((_req, res) => res.end(), { port: 0, bindAddress: '127.0.0.1' });
    await expect(listenHttp((_req, res) => res.end(), { port: a.port, bindAddress: '127.0.0.1' })).rejects.toThrow(/EADDRINUSE/);
    await a.stop();
  });

  it('closes a connection still busy after the grace period', async () => {
    const l = await listenHttp(() => undefined /* never answers */, { port: 0, bindAddress: '127.0.0.1', stopGraceMs: 50 });
    const pending = get(l.port).catch((err: Error) => err.message);
    await new Promise((r) => setTimeout(r, 50));
    await l.stop();
    expect(await pending).toMatch(/socket hang up|ECONNRESET/);
  });
});
