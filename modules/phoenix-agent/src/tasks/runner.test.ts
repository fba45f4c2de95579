import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateTaskCollectDiagnostics, validateTaskSetControl, type AgentTask, type AgentTaskStatus } from '@phoenix/contracts';
import { ManualClock, memoryLogger } from '@phoenix/runtime';
import { ApiCallError } from '../api/client';
import { defaultOutboxConfig } from '../outbox/config';
import { Outbox } from '../outbox/outbox';
import { StateDir } from '../state/stateDir';
import { MetricsRegistry } from '../telemetry/metrics';
import { deployPipelineExecutor } from './executors/pipelines';
import { TaskJournal } from './journal';
import { TaskRunner } from './runner';
import { failed, succeeded, type TaskExecutor, type TaskOutcome } from './types';

const T0 = Date.UTC(2026, 0, 1);

function task(id: string, type: AgentTask['type'], config: Record<string, unknown>, attempts = 1, extra: Partial<AgentTask> = {}): AgentTask {
  const at = new Date(T0).toISOString();
  return { id, host_id: 'h', type, config, priority: 0, status: 'claimed', attempts, max_attempts: 3, created_at: at, updated_at: at, ...extra };
}

/** An executor whose runs the test finishes by hand. */
function manual<C>(type: AgentTask['type'], validate: TaskExecutor<C>['validate']) {
  const runs: Array<{ config: C; finish: (o: TaskOutcome) => void; signal: AbortSignal }> = [];
  const exec: TaskExecutor<C> = {
    type,
    validate,
    unsupported: () => undefined,
    run: (config, ctx) =>
      new Promise((resolve) => {
        runs.push({ config, finish: resolve, signal: ctx.signal });
        ctx.signal.addEventListener('abort', () => resolve(failed('aborted', true)));
      }),
  };
  return { exec, runs };
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
};

describe('TaskRunner', () => {
  let dir: string;
  let clock: ManualClock;
  let outbox: Outbox;
  let journal: TaskJournal;
  let statusCalls: Array<{ id: string; body: AgentTaskStatus }>;
  let answer: (id: string, body: AgentTaskStatus) => Promise<AgentTask>;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-agent-runner-'));
    clock = new ManualClock(T0);
    const sd = new StateDir(dir);
    outbox = new Outbox(defaultOutboxConfig, sd, clock, memoryLogger(), new MetricsRegistry());
    outbox.open();
    journal = new TaskJournal(path.join(dir, 'journal.jsonl'), 100, clock, memoryLogger());
    journal.open();
    statusCalls = [];
    answer = (id) => Promise.resolve(task(id, 'set_control', {}, 1, { status: 'running', lease_until: new Date(clock.now() + 60_000).toISOString() }));
  });
  afterEach(() => {
    outbox.close();
    journal.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function runner(executors: Array<TaskExecutor<never>>, maxConcurrent = 4) {
    const log = memoryLogger();
    const api = {
      reportStatus: (id: string, body: AgentTaskStatus) => {
        statusCalls.push({ id, body });
        return answer(id, body);
      },
    };
    return { r: new TaskRunner({ executors, journal, outbox, api, clock, log, registry: new MetricsRegistry(), maxConcurrent }), log };
  }

  const reports = () => outbox.reports.peek(100).map((e) => ({ task_id: e.payload.task_id, report: e.payload.report }));

  test('reports running, runs, journals, then queues the report of the attempt', async () => {
    const sc = manual('set_control', validateTaskSetControl);
    const { r } = runner([sc.exec as TaskExecutor<never>]);
    r.accept(task('t1', 'set_control', { target_series: 500 }, 2));
    await settle();
    expect(statusCalls).toEqual([{ id: 't1', body: { attempt: 2, status: 'running' } }]);
    expect(sc.runs.map((x) => x.config)).toEqual([{ target_series: 500 }]);
    expect(r.activeTaskIds()).toEqual(['t1']);
    expect(r.freeSlots()).toBe(3);
    sc.runs[0].finish(succeeded({ generation: 7 }));
    await settle();
    expect(journal.get('t1')).toMatchObject({ attempt: 2, outcome: { status: 'succeeded', result: { generation: 7 } } });
    expect(reports()).toEqual([{ task_id: 't1', report: { attempt: 2, status: 'succeeded', result: { generation: 7 } } }]);
    expect(r.activeTaskIds()).toEqual([]);
  });

  test('a config that breaks its task_<type> schema fails non-retryably with the schema errors, without running', async () => {
    const sc = manual('set_control', validateTaskSetControl);
    const { r } = runner([sc.exec as TaskExecutor<never>]);
    r.accept(task('t1', 'set_control', { target_series: 0, colour: 'red' }));
    await settle();
    expect(sc.runs).toHaveLength(0);
    expect(statusCalls).toEqual([]);
    expect(reports()).toEqual([
      { task_id: 't1', report: { attempt: 1, status: 'failed', error: 'invalid set_control config: colour: is not allowed (unknown field); target_series: must be >= 1', retryable: false } },
    ]);
  });

  test('a capability the host lacks fails non-retryably, never reported as done', async () => {
    const { r } = runner([deployPipelineExecutor() as TaskExecutor<never>]);
    r.accept(task('t1', 'deploy_pipeline', { pipeline_id: 'cand-1', template: {} }));
    await settle();
    expect(reports()).toEqual([{ task_id: 't1', report: { attempt: 1, status: 'failed', error: "capability deploy_pipeline not supported by this host's phoenix-core", retryable: false } }]);
  });

  test('a task in the journal is reported again under the new attempt, not run again', async () => {
    const sc = manual('set_control', validateTaskSetControl);
    const { r, log } = runner([sc.exec as TaskExecutor<never>]);
    journal.record('t1', 'set_control', 1, { status: 'succeeded', result: { generation: 3 } });
    r.accept(task('t1', 'set_control', { target_series: 500 }, 2));
    await settle();
    expect(sc.runs).toHaveLength(0);
    expect(statusCalls).toEqual([]);
    expect(reports()).toEqual([{ task_id: 't1', report: { attempt: 2, status: 'succeeded', result: { generation: 3 } } }]);
    expect(log.records.some((x) => x.msg === 'task already done (journal): reporting it again, not running it again' && x.done_in_attempt === 1)).toBe(true);
  });

  test('the API saying the attempt is no longer current (409) stops the task: nothing journaled or reported', async () => {
    const sc = manual('set_control', validateTaskSetControl);
    const { r } = runner([sc.exec as TaskExecutor<never>]);
    answer = () => Promise.reject(new ApiCallError('status', { kind: 'rejected', status: 409, message: 'task t1 is already cancelled', details: [] }));
    r.accept(task('t1', 'set_control', { target_series: 500 }));
    await settle();
    expect(sc.runs).toHaveLength(0);
    expect(journal.get('t1')).toBeUndefined();
    expect(reports()).toEqual([]);
    expect(r.activeTaskIds()).toEqual([]);
  });

  test('tasks of one type run one after the other; other types run beside them', async () => {
    const sc = manual('set_control', validateTaskSetControl);
    const cd = manual('collect_diagnostics', validateTaskCollectDiagnostics);
    const { r } = runner([sc.exec, cd.exec] as Array<TaskExecutor<never>>);
    r.accept(task('a', 'set_control', { target_series: 1 }));
    r.accept(task('b', 'set_control', { target_series: 2 }));
    r.accept(task('c', 'collect_diagnostics', {}));
    await settle();
    expect(sc.runs.map((x) => x.config)).toEqual([{ target_series: 1 }]);
    expect(cd.runs).toHaveLength(1);
    sc.runs[0].finish(succeeded({}));
    await settle();
    expect(sc.runs.map((x) => x.config)).toEqual([{ target_series: 1 }, { target_series: 2 }]);
    expect(reports().map((x) => x.task_id)).toEqual(['a']);
  });

  test('the lease is renewed at half its length while the task runs', async () => {
    const sc = manual('set_control', validateTaskSetControl);
    const { r } = runner([sc.exec as TaskExecutor<never>]);
    r.accept(task('t1', 'set_control', { target_series: 5 }));
    await settle();
    expect(statusCalls).toHaveLength(1);
    await clock.advanceAsync(29_999);
    expect(statusCalls).toHaveLength(1);
    await clock.advanceAsync(1);
    await settle();
    expect(statusCalls).toEqual([
      { id: 't1', body: { attempt: 1, status: 'running' } },
      { id: 't1', body: { attempt: 1, status: 'running' } },
    ]);
    sc.runs[0].finish(succeeded({}));
    await settle();
    expect(clock.pending()).toBe(0);
  });

  test('a task handed out again while it runs goes on under the new attempt', async () => {
    const sc = manual('set_control', validateTaskSetControl);
    const { r } = runner([sc.exec as TaskExecutor<never>]);
    r.accept(task('t1', 'set_control', { target_series: 5 }, 1));
    await settle();
    r.accept(task('t1', 'set_control', { target_series: 5 }, 2));
    sc.runs[0].finish(succeeded({ ok: true }));
    await settle();
    expect(sc.runs).toHaveLength(1);
    expect(reports()).toEqual([{ task_id: 't1', report: { attempt: 2, status: 'succeeded', result: { ok: true } } }]);
  });

  test('an executor that throws fails the attempt retryably; a passed deadline fails it for good', async () => {
    const boom: TaskExecutor<unknown> = { type: 'collect_diagnostics', validate: validateTaskCollectDiagnostics, unsupported: () => undefined, run: () => Promise.reject(new Error('disk full')) };
    const sc = manual('set_control', validateTaskSetControl);
    const { r } = runner([boom, sc.exec] as Array<TaskExecutor<never>>);
    r.accept(task('t1', 'collect_diagnostics', {}));
    r.accept(task('t2', 'set_control', { target_series: 5 }, 1, { deadline: new Date(T0 + 5000).toISOString() }));
    await settle();
    await clock.advanceAsync(5000);
    await settle();
    expect(reports()).toEqual([
      { task_id: 't1', report: { attempt: 1, status: 'failed', error: 'collect_diagnostics failed: disk full', retryable: true } },
      { task_id: 't2', report: { attempt: 1, status: 'failed', error: 'deadline 2026-01-01T00:00:05.000Z passed while the task ran', retryable: false } },
    ]);
  });

  test('stop aborts what runs without journaling it (the API hands it out again after its lease)', async () => {
    const sc = manual('set_control', validateTaskSetControl);
    const { r } = runner([sc.exec as TaskExecutor<never>], 1);
    r.accept(task('t1', 'set_control', { target_series: 5 }));
    await settle();
    expect(r.freeSlots()).toBe(0);
    await r.stop();
    expect(sc.runs[0].signal.aborted).toBe(true);
    expect(journal.get('t1')).toBeUndefined();
    expect(reports()).toEqual([]);
    expect(r.freeSlots()).toBe(0);
    r.accept(task('t2', 'set_control', { target_series: 5 }));
    expect(r.activeTaskIds()).toEqual([]);
  });
});
