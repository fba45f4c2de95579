import type { ApiKey } from '@phoenix/contracts';
import type { Queryable } from '../db/database';

/** An api_keys row. */
export interface KeyRow {
  id: string;
  host_id: string;
  secret_sha256: string;
  description: string | null;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

/** The contract shape (api_key.schema.json), never the secret. */
export function toApiKey(r: KeyRow): ApiKey {
  return {
    id: r.id,
    host_id: r.host_id,
    description: r.description,
    created_at: r.created_at.toISOString(),
    revoked_at: r.revoked_at ? r.revoked_at.toISOString() : null,
    last_used_at: r.last_used_at ? r.last_used_at.toISOString() : null,
  };
}

/** All SQL of api_keys. */
export const keyRepo = {
  async insert(q: Queryable, k: { id: string; hostId: string; secretSha256: string; description?: string; now: Date }): Promise<KeyRow> {
    const { rows } = await q.query<KeyRow>(
      'INSERT INTO api_keys (id, host_id, secret_sha256, description, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *',
      [k.id, k.hostId, k.secretSha256, k.description ?? null, k.now],
    );
    return rows[0];
  },

  async get(q: Queryable, id: string): Promise<KeyRow | undefined> {
    const { rows } = await q.query<KeyRow>('SELECT * FROM api_keys WHERE id = $1', [id]);
    return rows[0];
  },

  async list(q: Queryable): Promise<KeyRow[]> {
    const { rows } = await q.query<KeyRow>('SELECT * FROM api_keys ORDER BY created_at, id');
    return rows;
  },

  /** Revokes (idempotent: the first revocation time stays); undefined when there is no such key. */
  async revoke(q: Queryable, id: string, now: Date): Promise<KeyRow | undefined> {
    const { rows } = await q.query<KeyRow>('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING *', [id, now]);
    return rows[0];
  },

  /**
   * The row `id` mirrors a key given by the environment: created or updated to `secretSha256` (a changed
   * secret lifts an earlier revocation, the same one keeps it); with no secret, the row is revoked.
   */
  async ensureEnvKey(q: Queryable, id: string, secretSha256: string | undefined, now: Date): Promise<void> {
    if (secretSha256 === undefined) {
      await q.query('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1', [id, now]);
      return;
    }
    await q.query(
      `INSERT INTO api_keys (id, host_id, secret_sha256, description, created_at) VALUES ($1, '*', $2, 'PHOENIX_AGENT_KEY (enrollment key from the environment)', $3)
       ON CONFLICT (id) DO UPDATE SET host_id = '*', secret_sha256 = EXCLUDED.secret_sha256,
         revoked_at = CASE WHEN api_keys.secret_sha256 = EXCLUDED.secret_sha256 THEN api_keys.revoked_at ELSE NULL END`,
      [id, secretSha256, now],
    );
  },

  /** Records when keys were last used (one statement for many keys). */
  async touch(q: Queryable, used: Array<{ id: string; at: Date }>): Promise<void> {
    if (used.length === 0) return;
    await q.query(
      `UPDATE api_keys k SET last_used_at = GREATEST(COALESCE(k.last_used_at, u.at), u.at)
       FROM jsonb_to_recordset($1::jsonb) AS u(id text, at timestamptz) WHERE k.id = u.id`,
      [JSON.stringify(used.map((u) => ({ id: u.id, at: u.at.toISOString() })))],
    );
  },
};
