import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { type BenchmarkControlTransition, type BenchmarkProbe, type BenchmarkResult, type BenchmarkRunState, type BenchmarkRunSummary, type BenchmarkRunTransition, type BenchmarkSample, validateBenchmarkResult } from '@phoenix/contracts';
import { assertTransition, isFinal, isRunState } from '../lifecycle/stateMachine';

/** A run as stored (the API adds progress and links). */
export interface RunRecord {
  id: string;
  scenario: string;
  timeScale: number;
  state: BenchmarkRunState;
  origin: 'api' | 'cli';
  ownerPid: number;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  reason?: string;
  passed?: boolean;
  summary?: BenchmarkRunSummary;
}

interface RunRow {
  id: string;
  scenario: string;
  time_scale: number;
  state: string;
  origin: string;
  owner_pid: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  reason: string | null;
  passed: number | null;
  summary: string | null;
}

function toRecord(r: RunRow): RunRecord {
  if (!isRunState(r.state)) throw new Error(`run ${r.id}: unknown state ${r.state} in the database`);
  const rec: RunRecord = {
    id: r.id,
    scenario: r.scenario,
    timeScale: r.time_scale,
    state: r.state,
    origin: r.origin === 'cli' ? 'cli' : 'api',
    ownerPid: r.owner_pid,
    createdAt: r.created_at,
  };
  if (r.started_at !== null) rec.startedAt = r.started_at;
  if (r.finished_at !== null) rec.finishedAt = r.finished_at;
  if (r.reason !== null) rec.reason = r.reason;
  if (r.passed !== null) rec.passed = r.passed === 1;
  if (r.summary !== null) rec.summary = JSON.parse(r.summary) as BenchmarkRunSummary;
  return rec;
}

/** A result that does not match contracts/schemas/benchmark_result.schema.json (never stored). */
export class InvalidResultError extends Error {
  constructor(readonly errors: string[]) {
    super(`the benchmark result does not match benchmark_result.schema.json: ${errors.slice(0, 10).join('; ')}`);
    this.name = 'InvalidResultError';
  }
}

/** Another run is in flight (one run at a time). */
export class BusyError extends Error {
  constructor(
    readonly runId: string,
    readonly state: string,
  ) {
    super(`run ${runId} is ${state}: one run at a time`);
    this.name = 'BusyError';
  }
}

export class UnknownRunError extends Error {
  constructor(readonly runId: string) {
    super(`no run ${runId}`);
    this.name = 'UnknownRunError';
  }
}

/**
 * Benchmark runs in SQLite (better-sqlite3, WAL): runs, every lifecycle transition, the sampled KPIs, the probes,
 * the control transitions seen and the result. Lifecycle changes are checked against the state machine inside
 * one immediate transaction, so two processes sharing the file (the service and the CLI) cannot race.
 */
export class RunStore {
  private readonly db: Database.Database;

  private constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS runs (
        id TEXT PRIMARY KEY,
        scenario TEXT NOT NULL,
        time_scale REAL NOT NULL,
        state TEXT NOT NULL,
        origin TEXT NOT NULL,
        owner_pid INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        reason TEXT,
        passed INTEGER,
        summary TEXT
      );
      CREATE INDEX IF NOT EXISTS runs_state ON runs(state);
      CREATE TABLE IF NOT EXISTS run_transitions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL REFERENCES runs(id),
        at TEXT NOT NULL,
        from_state TEXT,
        to_state TEXT NOT NULL,
        reason TEXT
      );
      CREATE INDEX IF NOT EXISTS run_transitions_run ON run_transitions(run_id, id);
      CREATE TABLE IF NOT EXISTS samples (
        run_id TEXT NOT NULL REFERENCES runs(id),
        seq INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
      );
      CREATE TABLE IF NOT EXISTS probes (
        run_id TEXT NOT NULL REFERENCES runs(id),
        seq INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
      );
      CREATE TABLE IF NOT EXISTS control_transitions (
        run_id TEXT NOT NULL REFERENCES runs(id),
        seq INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
      );
      CREATE TABLE IF NOT EXISTS results (
        run_id TEXT PRIMARY KEY REFERENCES runs(id),
        body TEXT NOT NULL
      );
    `);
  }

  /** Opens (creating) the database. */
  static open(file: string): RunStore {
    return new RunStore(file);
  }

  /**
   * Creates a run in state pending (and its first transition, from null) if no run is in flight: one run at a
   * time, across every process sharing the database (BusyError names the run in flight).
   */
  create(run: { id: string; scenario: string; timeScale: number; origin: 'api' | 'cli'; ownerPid: number; at: string }): RunRecord {
    this.db.transaction(() => {
      const busy = this.db.prepare("SELECT id, state FROM runs WHERE state IN ('pending', 'running', 'analyzing') LIMIT 1").get() as
        | { id: string; state: string }
        | undefined;
      if (busy) throw new BusyError(busy.id, busy.state);
      this.db
        .prepare(
          'INSERT INTO runs (id, scenario, time_scale, state, origin, owner_pid, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(run.id, run.scenario, run.timeScale, 'pending', run.origin, run.ownerPid, run.at);
      this.db.prepare('INSERT INTO run_transitions (run_id, at, from_state, to_state) VALUES (?, ?, NULL, ?)').run(run.id, run.at, 'pending');
    }).immediate();
    return this.mustGet(run.id);
  }

  /**
   * Moves a run to `to` if the lifecycle allows it from the state stored now (IllegalTransitionError otherwise),
   * and records the transition. Leaving pending sets started_at; a final state sets finished_at.
   */
  transition(id: string, to: BenchmarkRunState, at: string, reason?: string, extra: { passed?: boolean; summary?: BenchmarkRunSummary } = {}): RunRecord {
    this.db.transaction(() => {
      const row = this.db.prepare('SELECT state, started_at FROM runs WHERE id = ?').get(id) as { state: string; started_at: string | null } | undefined;
      if (!row) throw new UnknownRunError(id);
      if (!isRunState(row.state)) throw new Error(`run ${id}: unknown state ${row.state} in the database`);
      assertTransition(id, row.state, to);
      const startedAt = row.started_at ?? (row.state === 'pending' ? at : null);
      this.db
        .prepare(
          `UPDATE runs SET state = ?, started_at = ?, finished_at = ?, reason = COALESCE(?, reason), passed = COALESCE(?, passed), summary = COALESCE(?, summary) WHERE id = ?`,
        )
        .run(
          to,
          startedAt,
          isFinal(to) ? at : null,
          reason ?? null,
          extra.passed === undefined ? null : extra.passed ? 1 : 0,
          extra.summary === undefined ? null : JSON.stringify(extra.summary),
          id,
        );
      this.db.prepare('INSERT INTO run_transitions (run_id, at, from_state, to_state, reason) VALUES (?, ?, ?, ?, ?)').run(id, at, row.state, to, reason ?? null);
    }).immediate();
    return this.mustGet(id);
  }

  get(id: string): RunRecord | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  private mustGet(id: string): RunRecord {
    const r = this.get(id);
    if (!r) throw new UnknownRunError(id);
    return r;
  }

  /** Newest first. */
  list(opts: { limit?: number; state?: BenchmarkRunState } = {}): RunRecord[] {
    const limit = Math.max(1, Math.floor(opts.limit ?? 50));
    const rows = (
      opts.state
        ? this.db.prepare('SELECT * FROM runs WHERE state = ? ORDER BY created_at DESC, rowid DESC LIMIT ?').all(opts.state, limit)
        : this.db.prepare('SELECT * FROM runs ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit)
    ) as RunRow[];
    return rows.map(toRecord);
  }

  /** Runs in pending, running or analyzing. */
  inFlight(): RunRecord[] {
    return (this.db.prepare("SELECT * FROM runs WHERE state IN ('pending', 'running', 'analyzing') ORDER BY rowid").all() as RunRow[]).map(toRecord);
  }

  lifecycle(id: string): BenchmarkRunTransition[] {
    const rows = this.db.prepare('SELECT at, from_state, to_state, reason FROM run_transitions WHERE run_id = ? ORDER BY id').all(id) as {
      at: string;
      from_state: string | null;
      to_state: string;
      reason: string | null;
    }[];
    return rows.map((r) => {
      const t: BenchmarkRunTransition = {
        at: r.at,
        from: r.from_state !== null && isRunState(r.from_state) ? r.from_state : null,
        to: isRunState(r.to_state) ? r.to_state : 'failed',
      };
      if (r.reason !== null) t.reason = r.reason;
      return t;
    });
  }

  addSample(id: string, seq: number, sample: BenchmarkSample): void {
    this.db.prepare('INSERT OR REPLACE INTO samples (run_id, seq, body) VALUES (?, ?, ?)').run(id, seq, JSON.stringify(sample));
  }

  samples(id: string): BenchmarkSample[] {
    return (this.db.prepare('SELECT body FROM samples WHERE run_id = ? ORDER BY seq').all(id) as { body: string }[]).map((r) => JSON.parse(r.body) as BenchmarkSample);
  }

  addProbe(id: string, seq: number, probe: BenchmarkProbe): void {
    this.db.prepare('INSERT OR REPLACE INTO probes (run_id, seq, body) VALUES (?, ?, ?)').run(id, seq, JSON.stringify(probe));
  }

  probes(id: string): BenchmarkProbe[] {
    return (this.db.prepare('SELECT body FROM probes WHERE run_id = ? ORDER BY seq').all(id) as { body: string }[]).map((r) => JSON.parse(r.body) as BenchmarkProbe);
  }

  addControlTransition(id: string, seq: number, t: BenchmarkControlTransition): void {
    this.db.prepare('INSERT OR REPLACE INTO control_transitions (run_id, seq, body) VALUES (?, ?, ?)').run(id, seq, JSON.stringify(t));
  }

  controlTransitions(id: string): BenchmarkControlTransition[] {
    return (this.db.prepare('SELECT body FROM control_transitions WHERE run_id = ? ORDER BY seq').all(id) as { body: string }[]).map(
      (r) => JSON.parse(r.body) as BenchmarkControlTransition,
    );
  }

  /** Validates the result against benchmark_result.schema.json, then stores it (InvalidResultError otherwise). */
  saveResult(id: string, result: BenchmarkResult): void {
    const v = validateBenchmarkResult(result);
    if (!v.ok) throw new InvalidResultError(v.errors);
    this.db.prepare('INSERT OR REPLACE INTO results (run_id, body) VALUES (?, ?)').run(id, JSON.stringify(result));
  }

  result(id: string): BenchmarkResult | undefined {
    const row = this.db.prepare('SELECT body FROM results WHERE run_id = ?').get(id) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as BenchmarkResult) : undefined;
  }

  close(): void {
    try {
      this.db.close();
    } catch {
      /* closing twice is harmless */
    }
  }
}
