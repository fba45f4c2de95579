import path from 'node:path';
import { ENV, loadConfig } from './config';

describe('loadConfig (environment -> config)', () => {
  it('defaults: ports, loopback, data dir, budget, intervals', () => {
    const { config, errors } = loadConfig({});
    expect(errors).toEqual([]);
    expect(config.api).toMatchObject({ port: 8080, bindAddress: '127.0.0.1', allowInsecure: false });
    expect(config.api.token).toBeUndefined();
    expect(config.observer).toMatchObject({ port: 9888, coreUrl: 'http://127.0.0.1:8891', intervalSeconds: 15, staleAfterSeconds: 45 });
    expect(config.observer.prometheusUrl).toBeUndefined();
    expect(config.controller.intervalSeconds).toBe(15);
    expect(config.actuator).toMatchObject({ targetSeries: 20000, dwellSeconds: 60, intervalSeconds: 15, maxKpiAgeSeconds: 45 });
    expect(config.controlFile.path).toBe(path.join('./data', 'optimization_mode.yaml'));
    expect(config.history.path).toBe(path.join('./data', 'control_history.sqlite'));
  });

  it('reads every documented variable', () => {
    const { config, errors } = loadConfig({
      PHOENIX_DATA_DIR: '/srv/phoenix',
      PHOENIX_TARGET_SERIES: '5000',
      PHOENIX_CORE_URL: 'http://core:8891',
      PROMETHEUS_URL: 'http://prom:9090',
      PHOENIX_OBSERVER_INTERVAL_SECONDS: '5',
      PHOENIX_CONTROL_INTERVAL_SECONDS: '10',
      PHOENIX_CONTROL_DWELL_SECONDS: '120',
      PHOENIX_PID_KP: '0.7',
      PHOENIX_API_TOKEN: 'a-long-enough-token-1234',
      PHOENIX_BIND_ADDRESS: '0.0.0.0',
    });
    expect(errors).toEqual([]);
    expect(config.controlFile.path).toBe(path.join('/srv/phoenix', 'optimization_mode.yaml'));
    expect(config.actuator).toMatchObject({ targetSeries: 5000, dwellSeconds: 120, intervalSeconds: 10, maxKpiAgeSeconds: 15, pid: { kp: 0.7 } });
    expect(config.observer).toMatchObject({ coreUrl: 'http://core:8891', prometheusUrl: 'http://prom:9090', intervalSeconds: 5, bindAddress: '0.0.0.0' });
  });

  it('bad values: the message names the variable (parse) or the config key and its variable (validation)', () => {
    expect(loadConfig({ PHOENIX_OBSERVER_PORT: 'abc' }).errors).toEqual(['PHOENIX_OBSERVER_PORT: must be a number (got "abc")']);
    expect(loadConfig({ PHOENIX_ALLOW_INSECURE: 'maybe' }).errors).toEqual(['PHOENIX_ALLOW_INSECURE: must be true or false (1/0, yes/no, on/off; got "maybe")']);
    expect(loadConfig({ PHOENIX_CONTROL_HYSTERESIS: '2', PHOENIX_API_TOKEN: 'short' }).errors).toEqual([
      'actuator.hysteresis (PHOENIX_CONTROL_HYSTERESIS): must be <= 0.9 (got 2)',
      'api.token (PHOENIX_API_TOKEN): must be at least 16 characters when set',
    ]);
    expect(loadConfig({ PHOENIX_OBSERVER_PORT: '8080' }).errors).toEqual(['observer.port (PHOENIX_OBSERVER_PORT): must differ from api.port (8080)']);
  });

  it('every config key maps to a PHOENIX_ or PROMETHEUS_ variable', () => {
    for (const v of Object.values(ENV)) expect(v).toMatch(/^(PHOENIX_[A-Z_]+|PROMETHEUS_URL)$/);
  });
});
