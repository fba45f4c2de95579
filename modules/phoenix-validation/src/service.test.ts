import path from 'node:path';
import { silentLogger } from '@phoenix/runtime';
import { tmpDir } from '../test/helpers';
import { loadConfig, type ValidationServiceConfig } from './config';
import { ValidationService } from './service';

/** true when something answers HTTP on 127.0.0.1:port */
const answers = (port: number): Promise<boolean> =>
  fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) }).then(
    () => true,
    () => false,
  );

function config(): ValidationServiceConfig {
  const dir = tmpDir();
  const { config: c, errors } = loadConfig({ PHOENIX_DATA_DIR: dir, PHOENIX_VALIDATION_PORT: '0', PHOENIX_VALIDATION_DB: path.join(dir, 'v.sqlite') });
  if (errors.length > 0) throw new Error(errors.join('\n'));
  return c;
}

/** false once the run store is closed (better-sqlite3 refuses every statement) */
const storeOpen = (s: ValidationService): boolean => {
  try {
    s.store.list();
    return true;
  } catch {
    return false;
  }
};

const service = (): ValidationService => new ValidationService(config(), { log: silentLogger(), processMetrics: false });

describe('ValidationService lifecycle', () => {
  it('start → stop: the API answers while started; after stop its port is closed and the run store is closed', async () => {
    const s = service();
    await s.start();
    const port = s.port;
    expect(await answers(port)).toBe(true);
    await s.stop();
    expect(await answers(port)).toBe(false);
    expect(storeOpen(s)).toBe(false);
  });

  it('stop without start releases what the constructor holds (the run store) and binds nothing', async () => {
    const s = service();
    expect(storeOpen(s)).toBe(true);
    await s.stop();
    expect([storeOpen(s), s.port]).toEqual([false, 0]);
  });

  it('start twice is one start, stop twice one stop; start after stop rejects', async () => {
    const s = service();
    const first = s.start();
    expect(s.start()).toBe(first);
    await first;
    const stopping = s.stop();
    expect(s.stop()).toBe(stopping);
    await stopping;
    await expect(s.start()).rejects.toThrow('phoenix-validation is stopped; it cannot be started again');
  });
});
