import { leafKeys } from '@phoenix/testkit';
import { defaultObserverConfig, validateObserverConfig, type ObserverConfig } from './config';

const BAD: Array<[string, Partial<ObserverConfig>, string[]]> = [
  ['coreUrl', { coreUrl: 'nope' }, ['observer.coreUrl: must be a URL (got "nope")']],
  ['prometheusUrl', { prometheusUrl: 'ftp://prom' }, ['observer.prometheusUrl: must be an http(s) URL (got ftp://prom)']],
  ['prometheusSelector', { prometheusSelector: '{job="x"}' }, ['observer.prometheusSelector: give label matchers only, without braces (e.g. job="phoenix-core")']],
  ['intervalSeconds', { intervalSeconds: 0 }, ['observer.intervalSeconds: must be > 0 (got 0)']],
  ['timeoutSeconds', { timeoutSeconds: 301 }, ['observer.timeoutSeconds: must be <= 300 (got 301)']],
  ['staleAfterSeconds', { staleAfterSeconds: 10 }, ['observer.staleAfterSeconds: must be >= observer.intervalSeconds (15), or every reading is stale']],
  ['port', { port: 70000 }, ['observer.port: must be <= 65535 (got 70000)']],
  ['bindAddress', { bindAddress: ' ' }, ['observer.bindAddress: must be a non-empty string']],
];

describe('validateObserverConfig', () => {
  it('the defaults are valid: scrape the core on :8891 every 15 s, stale after 45 s, serve :9888 on loopback', () => {
    expect(defaultObserverConfig).toEqual({ coreUrl: 'http://127.0.0.1:8891', prometheusSelector: '', intervalSeconds: 15, timeoutSeconds: 5, staleAfterSeconds: 45, port: 9888, bindAddress: '127.0.0.1' });
    expect(validateObserverConfig(defaultObserverConfig)).toEqual([]);
  });

  it.each(BAD)('a bad %s: the message names the key', (_key, bad, messages) => {
    expect(validateObserverConfig({ ...defaultObserverConfig, ...bad })).toEqual(messages);
  });

  it('every key has a case; the prefix is the caller\'s', () => {
    expect(BAD.map(([k]) => k).sort()).toEqual([...leafKeys(defaultObserverConfig), 'prometheusUrl'].sort());
    expect(validateObserverConfig({ ...defaultObserverConfig, port: -1 }, 'obs')).toEqual(['obs.port: must be >= 0 (got -1)']);
  });
});
