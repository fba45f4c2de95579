import type { Clock, Logger } from '@phoenix/runtime';
import { createLogLimiter, type LogLimiter } from '@phoenix/runtime';
import type { Database } from '../db/database';
import { Periodic } from '../periodic';
import { keyRepo, type KeyRow } from '../repo/keyRepo';
import { digestsEqual, ENV_KEY_ID, generateKey, parseKey, sha256hex } from './keys';

/** Key revocations (and creations) are announced here, payload the key id, so every replica drops its cache entry. */
export const KEYS_CHANNEL = 'phoenix_keys';

export type AuthResult = { ok: true; keyId: string } | { ok: false; status: 401 | 403; error: string };

interface CacheEntry {
  row: KeyRow | undefined;
  at: number;
}

/**
 * Agent keys: issue, revoke, and check a bearer key against a host id. Looked-up rows are cached for at most
 * `cacheMs` (2 s) and dropped at once when a NOTIFY says the key changed, so a revocation holds on every
 * replica within that bound. When keys were last used is written in batches (every `touchIntervalMs`).
 */
export class KeyStore {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly used = new Map<string, number>();
  private readonly touchLoop: Periodic;
  private unsubscribe: Array<() => void> = [];
  private readonly limited: LogLimiter;

  constructor(private readonly d: { db: Database; clock: Clock; log: Logger; cacheMs: number; touchIntervalMs: number }) {
    this.limited = createLogLimiter(d.log, { clock: d.clock, first: 3, intervalMs: 60_000 });
    this.touchLoop = new Periodic(d.clock, d.touchIntervalMs, () => this.flushUsed());
  }

  /** Ensures the PHOENIX_AGENT_KEY row, listens for invalidations, starts the last-used writer. */
  async start(envKey: string | undefined): Promise<void> {
    await keyRepo.ensureEnvKey(this.d.db, ENV_KEY_ID, envKey === undefined ? undefined : sha256hex(envKey), new Date(this.d.clock.now()));
    this.unsubscribe.push(await this.d.db.listen(KEYS_CHANNEL, (id) => this.cache.delete(id)));
    this.unsubscribe.push(this.d.db.onReconnect(() => this.cache.clear()));
    this.touchLoop.start();
  }

  async stop(): Promise<void> {
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    this.touchLoop.stop();
    await this.flushUsed();
  }

  /** 401 for a missing, unknown, wrong or revoked key; 403 for a key bound to another host. */
  async authenticate(key: string | undefined, hostId: string): Promise<AuthResult> {
    if (!key) return { ok: false, status: 401, error: 'missing agent key (Authorization: Bearer <key>)' };
    const parsed = parseKey(key);
    const candidates: Array<{ id: string; digest: string }> = [];
    if (parsed) candidates.push({ id: parsed.id, digest: sha256hex(parsed.secret) });
    candidates.push({ id: ENV_KEY_ID, digest: sha256hex(key) });
    for (const c of candidates) {
      const row = await this.lookup(c.id);
      if (!row || !digestsEqual(row.secret_sha256, c.digest)) continue;
      if (row.revoked_at) return { ok: false, status: 401, error: 'the agent key was revoked' };
      if (row.host_id !== '*' && row.host_id !== hostId) return { ok: false, status: 403, error: `the agent key is bound to another host, not ${hostId}` };
      this.used.set(row.id, this.d.clock.now());
      return { ok: true, keyId: row.id };
    }
    return { ok: false, status: 401, error: 'unknown or wrong agent key' };
  }

  /** Issues a key; the secret is returned here only. */
  async create(hostId: string, description: string | undefined): Promise<{ row: KeyRow; key: string }> {
    const k = generateKey();
    const row = await this.d.db.transaction(async (tx) => {
      const r = await keyRepo.insert(tx, { id: k.id, hostId, secretSha256: sha256hex(k.secret), description, now: new Date(this.d.clock.now()) });
      await tx.notify(KEYS_CHANNEL, k.id);
      return r;
    });
    this.cache.delete(k.id);
    return { row, key: k.key };
  }

  /** Revokes at once on every replica (the NOTIFY commits with the revocation); undefined when unknown. */
  async revoke(id: string): Promise<KeyRow | undefined> {
    const row = await this.d.db.transaction(async (tx) => {
      const r = await keyRepo.revoke(tx, id, new Date(this.d.clock.now()));
      if (r) await tx.notify(KEYS_CHANNEL, id);
      return r;
    });
    this.cache.delete(id);
    return row;
  }

  list(): Promise<KeyRow[]> {
    return keyRepo.list(this.d.db);
  }

  private async lookup(id: string): Promise<KeyRow | undefined> {
    const now = this.d.clock.now();
    const hit = this.cache.get(id);
    if (hit && now - hit.at < this.d.cacheMs) return hit.row;
    const row = await keyRepo.get(this.d.db, id);
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(id, { row, at: now });
    return row;
  }

  private async flushUsed(): Promise<void> {
    if (this.used.size === 0) return;
    const batch = [...this.used].map(([id, at]) => ({ id, at: new Date(at) }));
    this.used.clear();
    try {
      await keyRepo.touch(this.d.db, batch);
    } catch (err) {
      this.limited.warn('touch', 'could not record when keys were last used', { err: (err as Error).message });
    }
  }
}
