import http from 'node:http';
import { silentLogger } from '@phoenix/runtime';
import { ChunkPool } from './chunkPool';
import { ExpositionWriter } from './expositionWriter';
import { PrometheusExporter } from './prometheusExporter';

function renderLines(w: ExpositionWriter, n: number, tag: string): void {
  w.family('m', 'gauge', 'help');
  for (let i = 0; i < n; i++) w.sample('m', `i="${i}",tag="${tag}",v="\u00e9\u4e2d"`, i + 0.5);
}

function expected(n: number, tag: string): string {
  let s = '# HELP m help\n# TYPE m gauge\n';
  for (let i = 0; i < n; i++) s += `m{i="${i}",tag="${tag}",v="\u00e9\u4e2d"} ${i + 0.5}\n`;
  return s;
}

describe('ExpositionWriter with a ChunkPool', () => {
  it('writes across several pooled chunks and gives each back exactly once', () => {
    const pool = new ChunkPool(4096, 16);
    const w = new ExpositionWriter(pool);
    renderLines(w, 2000, 'a');
    expect(w.toString()).toBe(expected(2000, 'a'));
    expect(w.series).toBe(2000);
    const used = w.buffers().length;
    expect(used).toBeGreaterThan(3);
    w.release();
    expect(pool.idle).toBe(Math.min(16, used));
    w.release(); // idempotent
    expect(pool.idle).toBe(Math.min(16, used));
    // a second writer reuses the chunks and produces its own content intact
    const w2 = new ExpositionWriter(pool);
    expect(pool.idle).toBe(Math.min(16, used) - 1);
    renderLines(w2, 100, 'b');
    expect(w2.toString()).toBe(expected(100, 'b'));
  });

  it('keeps at most maxIdle chunks', () => {
    const pool = new ChunkPool(1024, 2);
    const w = new ExpositionWriter(pool);
    renderLines(w, 500, 'x');
    expect(w.buffers().length).toBeGreaterThan(2);
    w.release();
    expect(pool.idle).toBe(2);
  });
});

describe('PrometheusExporter with a pool', () => {
  it('serves concurrent scrapes intact while chunks are recycled', async () => {
    const pool = new ChunkPool(8192, 64);
    let n = 0;
    const exporter = new PrometheusExporter('t', { host: '127.0.0.1', port: 0, path: '/metrics' }, (w) => renderLines(w, 3000, `r${n++}`), silentLogger(), undefined, pool);
    await exporter.start();
    try {
      const get = (): Promise<string> =>
        new Promise((resolve, reject) => {
          http.get({ host: '127.0.0.1', port: exporter.port, path: '/metrics' }, (res) => {
            const parts: Buffer[] = [];
            res.on('data', (c: Buffer) => parts.push(c));
            res.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
            res.on('error', reject);
          }).on('error', reject);
        });
      for (let round = 0; round < 3; round++) {
        const bodies = await Promise.all([get(), get(), get(), get()]);
        const tags = bodies.map((b) => /tag="(r\d+)"/.exec(b)?.[1] ?? '');
        expect(new Set(tags).size).toBe(4);
        bodies.forEach((b, i) => expect(b).toBe(expected(3000, tags[i])));
      }
      expect(pool.idle).toBeGreaterThan(0);
    } finally {
      await exporter.stop();
    }
  });
});

describe('PrometheusExporter streaming an incremental render', () => {
  function* steps(w: ExpositionWriter, n: number, tag: string): Generator<void, void, void> {
    w.family('m', 'gauge', 'help');
    for (let i = 0; i < n; i++) {
      w.sample('m', `i="${i}",tag="${tag}",v="\u00e9\u4e2d"`, i + 0.5);
      if (i % 100 === 99) yield;
    }
  }

  function get(port: number, method = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    return new Promise((resolve, reject) => {
      http
        .request({ host: '127.0.0.1', port, path: '/metrics', method }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
          res.on('error', reject);
        })
        .on('error', reject)
        .end();
    });
  }

  it('sends the whole exposition chunked while holding only a few chunks, reused from the pool', async () => {
    const pool = new ChunkPool(4096, 64);
    let n = 0;
    const rendered: number[] = [];
    const exporter = new PrometheusExporter(
      't',
      { host: '127.0.0.1', port: 0, path: '/metrics' },
      (w) => steps(w, 20_000, `r${n++}`),
      silentLogger(),
      (_s, series) => rendered.push(series),
      pool,
      16 * 1024,
    );
    await exporter.start();
    try {
      for (let round = 0; round < 3; round++) {
        const res = await get(exporter.port);
        expect(res.status).toBe(200);
        expect(res.headers['transfer-encoding']).toBe('chunked');
        expect(res.body).toBe(expected(20_000, `r${round}`));
      }
      expect(rendered).toEqual([20_000, 20_000, 20_000]);
      // ~780 KB of output in 4 KiB chunks (~190 per scrape): without streaming every one of them
      // would be allocated; streamed, a scrape holds ~16 KiB ahead plus what the socket holds
      const bytes = Buffer.byteLength(expected(20_000, 'r0'));
      expect(bytes / 4096).toBeGreaterThan(150);
      expect(pool.allocated).toBeLessThan(64);
      const head = await get(exporter.port, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.body).toBe('');
    } finally {
      await exporter.stop();
    }
  });

  it('a scraper that goes away mid-stream leaves the exporter serving intact expositions', async () => {
    const pool = new ChunkPool(4096, 64);
    let n = 0;
    const exporter = new PrometheusExporter('t', { host: '127.0.0.1', port: 0, path: '/metrics' }, (w) => steps(w, 20_000, `r${n++}`), silentLogger(), undefined, pool, 16 * 1024);
    await exporter.start();
    try {
      await new Promise<void>((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port: exporter.port, path: '/metrics' }, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(err)));
      });
      const bodies = await Promise.all([get(exporter.port), get(exporter.port)]);
      const tags = bodies.map((b) => /tag="(r\d+)"/.exec(b.body)?.[1] ?? '');
      expect(new Set(tags).size).toBe(2);
      bodies.forEach((b, i) => expect(b.body).toBe(expected(20_000, tags[i])));
    } finally {
      await exporter.stop();
    }
  });
});
