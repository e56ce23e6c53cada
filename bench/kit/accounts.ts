import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { hashPassword } from '../../server/features/auth/passwords.js';
import { createTokens } from '../../server/features/auth/tokens.js';

/**
 * Fan accounts seeded straight into the run's `users` table, and session tokens
 * minted with the server's own token code and the run's LOTUS_JWT_SECRET.
 *
 * Why not POST /api/auth/register: argon2id costs ~20 ms of server CPU per account, so
 * 5,000 sign-ups would take ~2 minutes of the pinned core and measure sign-up, not the
 * feature under test. Every row gets a real argon2id hash (one, computed once), so the
 * accounts are valid for login too; tokens are exactly what /api/auth/login issues
 * (HS256, sub, jti, iat, exp, iss=lotus) and the server still verifies each one and
 * reads the user from Postgres at every socket handshake and HTTP request.
 */
export interface SeededAccount {
  id: string;
  handle: string;
  token: string;
  createdAt: number;
}

export async function seedAccounts(opts: {
  pool: pg.Pool;
  schema: string;
  count: number;
  jwtSecret: string;
  tag: string;
  /** Account age in ms for account i (the server treats accounts under 7 days as new). */
  ageMs?: (i: number) => number;
  displayName?: (i: number) => string;
  ttlSeconds?: number;
}): Promise<SeededAccount[]> {
  const passwordHash = await hashPassword(randomBytes(12).toString('base64url'));
  const now = Date.now();
  const accounts = Array.from({ length: opts.count }, (_, i) => ({
    id: randomUUID(),
    handle: `${opts.tag}_${i}`,
    displayName: opts.displayName?.(i) ?? `粉丝${i}`,
    createdAt: now - (opts.ageMs?.(i) ?? 30 * 86_400_000),
  }));
  for (let i = 0; i < accounts.length; i += 2_000) {
    const chunk = accounts.slice(i, i + 2_000);
    await opts.pool.query(
      `insert into "${opts.schema}".users (id, handle, display_name, password_hash, role, created_at)
       select id, handle, name, $4, 'fan', to_timestamp(at / 1000.0)
       from unnest($1::uuid[], $2::text[], $3::text[], $5::float8[]) as t(id, handle, name, at)`,
      [chunk.map((a) => a.id), chunk.map((a) => a.handle), chunk.map((a) => a.displayName), passwordHash, chunk.map((a) => a.createdAt)],
    );
  }
  // issue() does not touch Redis (only revoke/verify do).
  const tokens = createTokens({ secret: opts.jwtSecret, ttlSeconds: opts.ttlSeconds ?? 7 * 86_400, redis: null as never, key: (...p) => p.join(':') });
  const out: SeededAccount[] = [];
  for (const a of accounts) out.push({ id: a.id, handle: a.handle, createdAt: a.createdAt, token: (await tokens.issue(a.id)).token });
  return out;
}
