import crypto from 'node:crypto';

/** The id of the key row that mirrors PHOENIX_AGENT_KEY. */
export const ENV_KEY_ID = 'env';

/** sha256, hex: the stored form of a secret (a high-entropy secret needs no slow hash). */
export function sha256hex(s: string): string {
  return crypto.createHash('sha256').update(s).digest('hex');
}

/** Compares two hex digests in constant time. */
export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && crypto.timingSafeEqual(x, y);
}

/** A new key: `phx_<id>_<secret>`, id 12 hex characters, secret 32 random bytes in base64url. */
export function generateKey(): { id: string; secret: string; key: string } {
  const id = crypto.randomBytes(6).toString('hex');
  const secret = crypto.randomBytes(32).toString('base64url');
  return { id, secret, key: `phx_${id}_${secret}` };
}

/** `phx_<id>_<secret>` split, or undefined for anything else. */
export function parseKey(key: string): { id: string; secret: string } | undefined {
  const m = /^phx_([0-9a-f]{12})_([A-Za-z0-9_-]{16,})$/.exec(key);
  return m ? { id: m[1], secret: m[2] } : undefined;
}

/** The bearer credential of an Authorization header. */
export function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1] : undefined;
}
