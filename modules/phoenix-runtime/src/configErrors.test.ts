import { ConfigErrors, isLoopback, withEnvNames } from './configErrors';

describe('ConfigErrors', () => {
  it('names the key, and the variable when it has one', () => {
    const e = new ConfigErrors({ 'api.port': 'PHOENIX_API_PORT' });
    e.port('api.port', 70000);
    e.port('other.port', -1);
    expect(e.messages).toEqual(['api.port (PHOENIX_API_PORT): must be <= 65535 (got 70000)', 'other.port: must be >= 0 (got -1)']);
  });

  it('checks numbers, urls, non-empty strings and enumerations', () => {
    const e = new ConfigErrors();
    e.number('a', NaN);
    e.number('b', 1.5, { integer: true });
    e.number('c', 0, { min: 0, exclusiveMin: true });
    e.number('d', 5, { min: 0, max: 10 });
    e.url('u1', undefined);
    e.url('u2', undefined, true);
    e.url('u3', 'ftp://x');
    e.url('u4', 'not a url');
    e.url('u5', 'https://ok');
    e.nonEmpty('s', ' ');
    e.oneOf('m', 'x', ['a', 'b']);
    expect(e.messages).toEqual([
      'a: must be a finite number (got NaN)',
      'b: must be an integer (got 1.5)',
      'c: must be > 0 (got 0)',
      'u1: is required',
      'u3: must be an http(s) URL (got ftp://x)',
      'u4: must be a URL ("not a url")'.replace('("', '(got "'),
      's: must be a non-empty string',
      'm: must be one of a, b (got "x")',
    ]);
  });

  it('labelMatchers refuses a selector with braces of its own', () => {
    const e = new ConfigErrors({ sel: 'PHOENIX_PROMETHEUS_SELECTOR' });
    e.labelMatchers('sel', 'job="phoenix-core", instance=~"a.*"');
    e.labelMatchers('sel', '');
    expect(e.messages).toEqual([]);
    e.labelMatchers('sel', '{job="x"}');
    expect(e.messages).toEqual(['sel (PHOENIX_PROMETHEUS_SELECTOR): give label matchers only, without braces (e.g. job="phoenix-core")']);
  });

  it('withEnvNames names the variables of component messages once each', () => {
    expect(withEnvNames(['k: bad', 'k: bad', 'other: worse', 'no colon'], { k: 'K_VAR' })).toEqual(['k (K_VAR): bad', 'other: worse', 'no colon']);
    const e = new ConfigErrors({ k: 'K_VAR' });
    e.addAll(['k: bad']);
    expect(e.messages).toEqual(['k (K_VAR): bad']);
  });

  it('isLoopback', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1', 'localhost']) expect(isLoopback(a)).toBe(true);
    for (const a of ['0.0.0.0', '10.0.0.1', '::', '', undefined, 'example.com']) expect(isLoopback(a)).toBe(false);
  });
});
