import path from 'node:path';
import { tmpDir } from '../../test/helpers';
import { sample } from '../../test/samples';
import { IllegalTransitionError } from '../lifecycle/stateMachine';
import { BusyError, InvalidResultError, RunStore, UnknownRunError } from './store';

const T = (s: number): string => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString();

describe('run store (SQLite)', () => {
  it('persists runs and every lifecycle transition; refuses illegal transitions; survives a reopen', () => {
    const file = path.join(tmpDir(), 'v.sqlite');
    const store = RunStore.open(file);
    const r = store.create({ id: 'run-1', scenario: 'cardinality_spike', timeScale: 0.1, origin: 'api', ownerPid: 4242, at: T(0) });
    expect(r).toMatchObject({ id: 'run-1', state: 'pending', origin: 'api', ownerPid: 4242, createdAt: T(0) });
    expect(store.transition('run-1', 'running', T(1))).toMatchObject({ state: 'running', startedAt: T(1) });
    expect(() => store.transition('run-1', 'completed', T(2))).toThrow(IllegalTransitionError);
    expect(() => store.transition('nope', 'running', T(2))).toThrow(UnknownRunError);
    store.transition('run-1', 'analyzing', T(3));
    store.transition('run-1', 'failed', T(4), 'the analysis blew up');
    expect(() => store.transition('run-1', 'running', T(5))).toThrow(/illegal transition failed -> running/);
    store.close();

    const again = RunStore.open(file);
    expect(again.get('run-1')).toMatchObject({ state: 'failed', startedAt: T(1), finishedAt: T(4), reason: 'the analysis blew up' });
    expect(again.lifecycle('run-1')).toEqual([
      { at: T(0), from: null, to: 'pending' },
      { at: T(1), from: 'pending', to: 'running' },
      { at: T(3), from: 'running', to: 'analyzing' },
      { at: T(4), from: 'analyzing', to: 'failed', reason: 'the analysis blew up' },
    ]);
    again.close();
  });

  it('one run in flight at a time, across every process sharing the file', () => {
    const file = path.join(tmpDir(), 'v.sqlite');
    const a = RunStore.open(file);
    const b = RunStore.open(file); // e.g. the CLI next to the service
    a.create({ id: 'r1', scenario: 's', timeScale: 1, origin: 'api', ownerPid: 1, at: T(0) });
    expect(() => b.create({ id: 'r2', scenario: 's', timeScale: 1, origin: 'cli', ownerPid: 2, at: T(1) })).toThrow(BusyError);
    a.transition('r1', 'cancelled', T(2), 'stop');
    expect(b.create({ id: 'r2', scenario: 's', timeScale: 1, origin: 'cli', ownerPid: 2, at: T(3) }).state).toBe('pending');
    expect(a.inFlight().map((r) => r.id)).toEqual(['r2']);
    expect(a.list().map((r) => r.id)).toEqual(['r2', 'r1']);
    expect(a.list({ state: 'cancelled' }).map((r) => r.id)).toEqual(['r1']);
    expect(a.list({ limit: 1 }).map((r) => r.id)).toEqual(['r2']);
    a.close();
    b.close();
  });

  it('samples, probes and control transitions in order; a result is validated before it is stored', () => {
    const store = RunStore.open(path.join(tmpDir(), 'v.sqlite'));
    store.create({ id: 'r', scenario: 's', timeScale: 1, origin: 'api', ownerPid: 1, at: T(0) });
    store.addSample('r', 2, sample(5, { mode: 'aggressive' }));
    store.addSample('r', 1, sample(0, { mode: 'conservative' }));
    expect(store.samples('r').map((s) => s.mode)).toEqual(['conservative', 'aggressive']);
    store.addProbe('r', 1, { at: T(1), offset_seconds: 1, hosts: 1, eligible: 1, active_hits: 1, topk_hits: 1 });
    expect(store.probes('r')).toHaveLength(1);
    store.addControlTransition('r', 1, { at: T(5), offset_seconds: 5, from_mode: 'conservative', to_mode: 'aggressive', from_profile: 'balanced', to_profile: 'balanced' });
    expect(store.controlTransitions('r')[0].to_mode).toBe('aggressive');
    expect(() => store.saveResult('r', { version: 1 } as never)).toThrow(InvalidResultError);
    expect(store.result('r')).toBeUndefined();
    store.close();
  });
});
