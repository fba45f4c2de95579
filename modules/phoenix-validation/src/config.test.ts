import { loadConfig } from './config';

describe('configuration from the environment', () => {
  it('defaults: port 8083, loopback, the stack on its default ports, direct scrape, prices', () => {
    const { config, errors } = loadConfig({});
    expect(errors).toEqual([]);
    expect(config.api).toMatchObject({ port: 8083, bindAddress: '127.0.0.1', allowInsecure: false, bodyLimitBytes: 16384, rateLimitPerMinute: 30 });
    expect(config.sources).toMatchObject({
      coreUrl: 'http://127.0.0.1:8891',
      fullFidelityUrl: 'http://127.0.0.1:8888/metrics',
      experimentalTopkUrl: 'http://127.0.0.1:8890/metrics',
      activeUrl: 'http://127.0.0.1:8892/metrics',
      observerUrl: 'http://127.0.0.1:9888',
      generatorsUrl: 'http://127.0.0.1:8082',
      controlUrl: 'http://127.0.0.1:8080',
    });
    expect(config.sources.prometheusUrl).toBeUndefined();
    expect(config.cost).toEqual({ currency: 'USD', pricePerSeriesMonth: 0.05, pricePerMillionSamples: 0.1, scrapeIntervalSeconds: 15 });
    expect(config.dbPath).toBe('data/validation.sqlite');
    expect(config.environment).toBe('development');
  });

  it("the core's outputs default to the observatory's host with the PHOENIX_*_PORT ports; empty URLs switch optional readers off", () => {
    const { config } = loadConfig({
      PHOENIX_CORE_URL: 'http://phoenix-core:8891',
      PHOENIX_FULL_FIDELITY_PORT: '18888',
      PHOENIX_ACTIVE_URL: 'http://elsewhere:1/metrics',
      PHOENIX_CONTROL_URL: '',
      PHOENIX_OBSERVER_URL: '',
      PROMETHEUS_URL: 'http://prometheus:9090',
      PHOENIX_ENV: 'production',
      PHOENIX_PRICE_PER_SERIES_MONTH: '0.2',
    });
    expect(config.sources).toMatchObject({
      fullFidelityUrl: 'http://phoenix-core:18888/metrics',
      experimentalTopkUrl: 'http://phoenix-core:8890/metrics',
      activeUrl: 'http://elsewhere:1/metrics',
      prometheusUrl: 'http://prometheus:9090',
    });
    expect(config.sources.controlUrl).toBeUndefined();
    expect(config.sources.observerUrl).toBeUndefined();
    expect(config.environment).toBe('production');
    expect(config.cost.pricePerSeriesMonth).toBe(0.2);
  });

  it('errors name the config key and its variable', () => {
    expect(loadConfig({ PHOENIX_VALIDATION_PORT: 'x' }).errors).toEqual(['PHOENIX_VALIDATION_PORT: must be a number (got "x")']);
    expect(loadConfig({ PHOENIX_VALIDATION_PORT: '70000', PHOENIX_PRICE_PER_SERIES_MONTH: '-1', PHOENIX_GENERATORS_URL: 'ftp://x' }).errors).toEqual([
      'sources.generatorsUrl (PHOENIX_GENERATORS_URL): must be an http(s) URL (got ftp://x)',
      'cost.pricePerSeriesMonth (PHOENIX_PRICE_PER_SERIES_MONTH): must be >= 0 (got -1)',
      'api.port (PHOENIX_VALIDATION_PORT): must be <= 65535 (got 70000)',
    ]);
  });

  it('refuses a non-loopback bind without a token, unless PHOENIX_ALLOW_INSECURE=true', () => {
    expect(loadConfig({ PHOENIX_BIND_ADDRESS: '0.0.0.0' }).errors).toEqual([expect.stringMatching(/^api\.bindAddress \(PHOENIX_BIND_ADDRESS\): refusing to bind the benchmark API to non-loopback 0\.0\.0\.0 without a token/)]);
    expect(loadConfig({ PHOENIX_BIND_ADDRESS: '0.0.0.0', PHOENIX_ALLOW_INSECURE: 'true' }).errors).toEqual([]);
    expect(loadConfig({ PHOENIX_BIND_ADDRESS: '0.0.0.0', PHOENIX_API_TOKEN: 'a-token-of-sixteen-chars' }).errors).toEqual([]);
    expect(loadConfig({ PHOENIX_API_TOKEN: 'short' }).errors).toEqual(['api.token (PHOENIX_API_TOKEN): must be at least 16 characters when set']);
  });
});
