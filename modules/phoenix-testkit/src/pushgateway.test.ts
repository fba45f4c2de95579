import fs from 'node:fs';
import { requirePushgatewayBinary, startPushgateway } from './pushgateway';

describe('startPushgateway (the real prometheus-pushgateway)', () => {
  test('a pushed group is served back with job and instance labels; stop removes the temp dir', async () => {
    const pg = await startPushgateway();
    try {
      const body = '# HELP demo_total A demo counter.\n# TYPE demo_total counter\ndemo_total{kind="a"} 3\n';
      const put = await fetch(`${pg.url}/metrics/job/demo/instance/host-1`, { method: 'PUT', body, headers: { 'content-type': 'text/plain; version=0.0.4' } });
      expect(put.status).toBe(200);
      const lines = await pg.groupLines('demo', 'host-1');
      expect(lines.filter((l) => l.startsWith('demo_total'))).toEqual(['demo_total{instance="host-1",job="demo",kind="a"} 3']);
      expect(lines.some((l) => l.startsWith('push_time_seconds{instance="host-1",job="demo"} '))).toBe(true);
      expect(await pg.groupLines('demo', 'host-2')).toEqual([]);
    } finally {
      await pg.stop();
    }
    expect(fs.existsSync(pg.dir)).toBe(false);
    await pg.stop();
  });

  test('a missing binary fails loudly with the installation hint', () => {
    expect(() => requirePushgatewayBinary(['/nonexistent'])).toThrow(
      'prometheus-pushgateway was not found on PATH or in /usr/bin, /usr/local/bin. The Phoenix tests run the real Pushgateway; install it with `apt-get install prometheus-pushgateway` (Debian/Ubuntu).',
    );
  });
});
