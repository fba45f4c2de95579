import { EnvReader, parseBool, parseDuration, parseSize } from './envReader';

describe('parsers', () => {
  it('parseBool accepts 1/0, true/false, yes/no, on/off in any case', () => {
    for (const v of ['1', 'true', 'TRUE', 'yes', 'On', ' on ']) expect(parseBool(v)).toBe(true);
    for (const v of ['0', 'false', 'False', 'no', 'OFF']) expect(parseBool(v)).toBe(false);
    for (const v of ['', 'y', '2', 'enabled']) expect(parseBool(v)).toBeUndefined();
  });

  it('parseDuration reads units and bare numbers in the variable unit', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('30')).toBe(30_000);
    expect(parseDuration('30', 'ms')).toBe(30);
    expect(parseDuration('0.5')).toBe(500);
    for (const v of ['', '-1s', '1d', 'abc', '1 2']) expect(parseDuration(v)).toBeUndefined();
  });

  it('parseSize reads bytes with decimal and binary units', () => {
    expect(parseSize('16384')).toBe(16384);
    expect(parseSize('16KiB')).toBe(16384);
    expect(parseSize('1MB')).toBe(1_000_000);
    expect(parseSize('2 mib')).toBe(2 * 1024 * 1024);
    expect(parseSize('1GiB')).toBe(1024 ** 3);
    for (const v of ['', '1.5', '1KX', '-3', 'lots']) expect(parseSize(v)).toBeUndefined();
  });
});

describe('EnvReader', () => {
  it('gives the fallback when a variable is unset or blank', () => {
    const r = new EnvReader({ B: '  ' });
    expect(r.str('A')).toBeUndefined();
    expect(r.str('B')).toBeUndefined();
    expect(r.num('A', 1.5)).toBe(1.5);
    expect(r.int('A', 3)).toBe(3);
    expect(r.bool('B', true)).toBe(true);
    expect(r.seconds('A', 30)).toBe(30);
    expect(r.millis('A', 250)).toBe(250);
    expect(r.bytes('A', 1024)).toBe(1024);
    expect(r.list('A', ['x'])).toEqual(['x']);
    expect(r.oneOf('A', ['a', 'b'] as const, 'b')).toBe('b');
    expect(r.errors).toEqual([]);
  });

  it('reads set values', () => {
    const r = new EnvReader({ S: ' v ', N: '2.5', I: '-7', B: 'yes', D: '500ms', M: '2', Z: '1KiB', L: 'a, b,,c', O: 'a' });
    expect(r.str('S')).toBe('v');
    expect(r.num('N', 0)).toBe(2.5);
    expect(r.int('I', 0)).toBe(-7);
    expect(r.bool('B', false)).toBe(true);
    expect(r.seconds('D', 0)).toBe(0.5);
    expect(r.millis('M', 0, 's')).toBe(2000);
    expect(r.millis('M', 0)).toBe(2);
    expect(r.bytes('Z', 0)).toBe(1024);
    expect(r.list('L', [])).toEqual(['a', 'b', 'c']);
    expect(r.oneOf('O', ['a', 'b'] as const, 'b')).toBe('a');
    expect(r.errors).toEqual([]);
  });

  it('collects one error per bad value, naming the variable, and keeps the fallback', () => {
    const r = new EnvReader({ N: 'x', I: '1.5', B: 'maybe', D: 'soon', Z: 'big', O: 'c' });
    expect(r.num('N', 1)).toBe(1);
    expect(r.int('I', 2)).toBe(2);
    expect(r.bool('B', false)).toBe(false);
    expect(r.seconds('D', 3)).toBe(3);
    expect(r.bytes('Z', 4)).toBe(4);
    expect(r.oneOf('O', ['a', 'b'] as const, 'a')).toBe('a');
    expect(r.errors).toEqual([
      'N: must be a number (got "x")',
      'I: must be an integer (got "1.5")',
      'B: must be true or false (1/0, yes/no, on/off; got "maybe")',
      'D: must be a duration such as 30, 500ms, 2m (got "soon")',
      'Z: must be a size in bytes such as 16384, 16KiB, 1MB (got "big")',
      'O: must be one of a, b (got "c")',
    ]);
  });

  it('optionalUrl: default when unset, none when set empty', () => {
    expect(new EnvReader({}).optionalUrl('U', 'http://d')).toBe('http://d');
    expect(new EnvReader({ U: '' }).optionalUrl('U', 'http://d')).toBeUndefined();
    expect(new EnvReader({ U: 'http://x' }).optionalUrl('U', 'http://d')).toBe('http://x');
    expect(new EnvReader({}).isSet('U')).toBe(false);
  });
});
