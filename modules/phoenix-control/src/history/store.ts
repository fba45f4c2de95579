import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '@phoenix/runtime';
import type { ControlHistoryEntry } from '@phoenix/contracts';
import type { HistoryConfig } from './config';

export type NewHistoryEntry = Omit<ControlHistoryEntry, 'id'>;

interface Row {
  id: number;
  at: string;
  kind: string;
  generation: number | null;
  from_mode: string | null;
  from_profile: string | null;
  from_k: number | null;
  to_mode: string;
  to_profile: string;
  to_k: number;
  target_series: number;
  source: string;
  reason: string;
  error: number | null;
  override_mode: string | null;
  override_target_series: number | null;
  override_k: number | null;
  expires_at: string | null;
}

const COLUMNS = [
  'at',
  'kind',
  'generation',
  'from_mode',
  'from_profile',
  'from_k',
  'to_mode',
  'to_profile',
  'to_k',
  'target_series',
  'source',
  'reason',
  'error',
  'override_mode',
  'override_target_series',
  'override_k',
  'expires_at',
] as const;

function toEntry(r: Row): ControlHistoryEntry {
  const e: Record<string, unknown> = { id: r.id };
  for (const c of COLUMNS) {
    const v = r[c];
    if (v !== null && v !== undefined) e[c] = v;
  }
  return e as unknown as ControlHistoryEntry;
}

/**
 * Control history in SQLite (better-sqlite3, WAL): transitions, adjustments, overrides. Survives restarts.
 * Writes never throw (a failure is logged and counted); reads return [] on failure.
 */
export class HistoryStore {
  private readonly db: Database.Database;
  private readonly insertStmt: Database.Statement;
  private readonly listStmt: Database.Statement;
  private inserts = 0;
  private failures = 0;

  private constructor(
    private readonly cfg: HistoryConfig,
    private readonly log: Logger,
  ) {
    fs.mkdirSync(path.dirname(path.resolve(cfg.path)), { recursive: true });
    this.db = new Database(cfg.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 2000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS control_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        generation INTEGER,
        from_mode TEXT, from_profile TEXT, from_k INTEGER,
        to_mode TEXT NOT NULL, to_profile TEXT NOT NULL, to_k INTEGER NOT NULL,
        target_series INTEGER NOT NULL,
        source TEXT NOT NULL,
        reason TEXT NOT NULL,
        error REAL,
        override_mode TEXT, override_target_series INTEGER, override_k INTEGER,
        expires_at TEXT
      );
      CREATE INDEX IF NOT EXISTS control_history_kind ON control_history(kind, id);
      CREATE TABLE IF NOT EXISTS control_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
    `);
    this.insertStmt = this.db.prepare(
      `INSERT INTO control_history (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => '@' + c).join(', ')})`,
    );
    this.listStmt = this.db.prepare('SELECT * FROM control_history ORDER BY id DESC LIMIT ?');
  }

  /** Opens (creating) the database; throws only here, at start, when the file cannot be opened. */
  static open(cfg: HistoryConfig, log: Logger): HistoryStore {
    return new HistoryStore(cfg, log);
  }

  get path(): string {
    return this.cfg.path;
  }

  failureCount(): number {
    return this.failures;
  }

  record(entry: NewHistoryEntry): ControlHistoryEntry | undefined {
    try {
      const params: Record<string, unknown> = {};
      for (const c of COLUMNS) {
        const v = (entry as Record<string, unknown>)[c];
        params[c] = v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? null : v;
      }
      const info = this.insertStmt.run(params);
      this.inserts += 1;
      if (this.inserts % 1000 === 0) this.prune();
      return { id: Number(info.lastInsertRowid), ...entry };
    } catch (err) {
      this.failures += 1;
      this.log.error('history write failed', { err, path: this.cfg.path });
      return undefined;
    }
  }

  /** Newest first. */
  list(limit: number): ControlHistoryEntry[] {
    try {
      return (this.listStmt.all(Math.max(1, Math.floor(limit))) as Row[]).map(toEntry);
    } catch (err) {
      this.log.error('history read failed', { err, path: this.cfg.path });
      return [];
    }
  }

  /** The latest override_set not followed by override_cleared / override_expired (to restore after restart). */
  openOverride(): ControlHistoryEntry | undefined {
    try {
      const row = this.db
        .prepare(
          `SELECT * FROM control_history WHERE kind IN ('override_set', 'override_cleared', 'override_expired') ORDER BY id DESC LIMIT 1`,
        )
        .get() as Row | undefined;
      return row && row.kind === 'override_set' ? toEntry(row) : undefined;
    } catch (err) {
      this.log.error('history read failed', { err, path: this.cfg.path });
      return undefined;
    }
  }

  /** Keeps a setting (JSON) across restarts; false when it could not be written. */
  saveSetting(key: string, value: unknown, at: string): boolean {
    try {
      this.db
        .prepare('INSERT INTO control_settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at')
        .run(key, JSON.stringify(value), at);
      return true;
    } catch (err) {
      this.failures += 1;
      this.log.error('settings write failed', { err, path: this.cfg.path, key });
      return false;
    }
  }

  /** A setting kept by saveSetting, or undefined. */
  loadSetting(key: string): unknown {
    try {
      const row = this.db.prepare('SELECT value FROM control_settings WHERE key = ?').get(key) as { value: string } | undefined;
      return row ? (JSON.parse(row.value) as unknown) : undefined;
    } catch (err) {
      this.log.error('settings read failed', { err, path: this.cfg.path, key });
      return undefined;
    }
  }

  prune(): void {
    try {
      this.db
        .prepare('DELETE FROM control_history WHERE id <= (SELECT MAX(id) FROM control_history) - ?')
        .run(this.cfg.maxRows);
    } catch (err) {
      this.log.warn('history prune failed', { err });
    }
  }

  close(): void {
    try {
      this.db.close();
    } catch {
      /* closing twice is harmless */
    }
  }
}
