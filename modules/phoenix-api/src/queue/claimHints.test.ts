import { ClaimHints } from './claimHints';

describe('ClaimHints', () => {
  it('unknown until loaded: every host may have work, and a claim that found nothing changes nothing', () => {
    const h = new ClaimHints();
    expect(h.mayHaveWork('a', 0)).toBe(true);
    h.claimedNothing('a', h.generation('a'), 0);
    expect(h.mayHaveWork('a', 0)).toBe(true);
  });

  it('loaded: only the listed hosts, from their due time; a claim that found nothing clears what was due', () => {
    const h = new ClaimHints();
    h.load([
      { hostId: 'a', at: 0 },
      { hostId: 'b', at: 5000 },
    ]);
    expect([h.mayHaveWork('a', 100), h.mayHaveWork('b', 100), h.mayHaveWork('c', 100)]).toEqual([true, false, false]);
    expect(h.mayHaveWork('b', 5000)).toBe(true);
    h.claimedNothing('a', h.generation('a'), 100);
    expect(h.mayHaveWork('a', 100)).toBe(false);
    // b's retry is due later than this claim: kept
    h.claimedNothing('b', h.generation('b'), 100);
    expect(h.mayHaveWork('b', 6000)).toBe(true);
  });

  it('a notification during a claim keeps the host (its task may have committed after the claim read)', () => {
    const h = new ClaimHints();
    h.load([]);
    h.notify('a');
    const gen = h.generation('a');
    h.notify('a');
    h.claimedNothing('a', gen, 10);
    expect(h.mayHaveWork('a', 10)).toBe(true);
    h.claimedNothing('a', h.generation('a'), 20);
    expect(h.mayHaveWork('a', 20)).toBe(false);
  });

  it('a retry due later becomes claimable at its time; reset forgets everything', () => {
    const h = new ClaimHints();
    h.load([]);
    h.notify('a', 1000);
    expect([h.mayHaveWork('a', 999), h.mayHaveWork('a', 1000)]).toEqual([false, true]);
    h.reset();
    expect(h.mayHaveWork('zzz', 0)).toBe(true);
  });
});
