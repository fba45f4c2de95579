import { OutputLines, TRUNCATED, type OutputStream } from './outputLines';

describe('OutputLines', () => {
  it('splits chunks into lines per stream: a line may span chunks, CRLF ends a line, a character may span chunks', () => {
    const seen: Array<[OutputStream, string]> = [];
    const out = new OutputLines({ onLine: (line, stream) => seen.push([stream, line]) });
    const euro = Buffer.from('€\n');
    out.push('stdout', 'one\ntw');
    out.push('stderr', Buffer.from('err\r\n'));
    out.push('stdout', 'o\n');
    out.push('stdout', euro.subarray(0, 1));
    out.push('stdout', euro.subarray(1));
    expect(seen).toEqual([
      ['stdout', 'one'],
      ['stderr', 'err'],
      ['stdout', 'two'],
      ['stdout', '€'],
    ]);
    expect(out.text()).toBe('one\nerr\ntwo\n€');
    expect(out.lastSeq).toBe(4);
  });

  it('keeps the last tailLines lines; lines(after) gives those after a line number', () => {
    const out = new OutputLines({ tailLines: 3 });
    out.push('stdout', 'a\nb\nc\nd\ne\n');
    expect(out.text()).toBe('c\nd\ne');
    expect(out.lines(4)).toEqual([{ seq: 5, stream: 'stdout', text: 'e' }]);
  });

  it('cuts a line longer than maxLineLength, also one that never ends, and drops the rest of it', () => {
    const out = new OutputLines({ maxLineLength: 5 });
    out.push('stdout', 'abcdefgh\nxy\n');
    out.push('stdout', 'abc');
    out.push('stdout', 'def');
    out.push('stdout', 'gh\nok\n');
    expect(out.lines().map((l) => l.text)).toEqual([`abcde${TRUNCATED}`, 'xy', `abcde${TRUNCATED}`, 'ok']);
  });

  it('flush emits unfinished lines; a throwing onLine does not stop the capture; subscribers see each line once', () => {
    const out = new OutputLines({
      onLine: () => {
        throw new Error('consumer failed');
      },
    });
    const got: string[] = [];
    const unsubscribe = out.subscribe((l) => got.push(l.text));
    out.push('stdout', 'done');
    out.push('stderr', 'half');
    expect(out.text()).toBe('');
    out.flush();
    expect(out.text()).toBe('done\nhalf');
    unsubscribe();
    out.push('stdout', 'later\n');
    expect(got).toEqual(['done', 'half']);
    expect(out.text()).toBe('done\nhalf\nlater');
  });
});
