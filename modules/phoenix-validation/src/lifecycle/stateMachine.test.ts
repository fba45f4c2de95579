import type { BenchmarkRunState } from '@phoenix/contracts';
import { assertTransition, canTransition, IllegalTransitionError, isFinal, isInFlight, RUN_STATES } from './stateMachine';

describe('run lifecycle', () => {
  const allowed: [BenchmarkRunState, BenchmarkRunState][] = [
    ['pending', 'running'],
    ['pending', 'failed'],
    ['pending', 'cancelled'],
    ['running', 'analyzing'],
    ['running', 'failed'],
    ['running', 'cancelled'],
    ['analyzing', 'completed'],
    ['analyzing', 'failed'],
  ];

  it('exactly these transitions are allowed; every other one is refused', () => {
    for (const from of RUN_STATES) {
      for (const to of RUN_STATES) {
        const ok = allowed.some(([a, b]) => a === from && b === to);
        expect([from, to, canTransition(from, to)]).toEqual([from, to, ok]);
        if (ok) expect(() => assertTransition('r', from, to)).not.toThrow();
        else expect(() => assertTransition('r', from, to)).toThrow(IllegalTransitionError);
      }
    }
  });

  it('final and in-flight states', () => {
    expect(RUN_STATES.filter(isFinal)).toEqual(['completed', 'failed', 'cancelled']);
    expect(RUN_STATES.filter(isInFlight)).toEqual(['pending', 'running', 'analyzing']);
  });

  it('the refusal says what is allowed', () => {
    expect(() => assertTransition('r1', 'completed', 'running')).toThrow('run r1: illegal transition completed -> running (allowed from completed: none, it is final)');
    expect(() => assertTransition('r1', 'analyzing', 'cancelled')).toThrow('allowed from analyzing: completed, failed');
  });
});
