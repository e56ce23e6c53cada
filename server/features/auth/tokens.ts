import { SignJWT, jwtVerify, errors } from 'jose';
import { randomUUID } from 'node:crypto';
import type { Redis } from '../../redis/redis-client.js';

export interface TokenClaims {
  userId: string;
  jti: string;
  expiresAt: number;
}

/**
 * Session tokens: HS256 JWTs carrying only the user id. The role is read from
 * Postgres on each use, so a role change or ban applies at once. Logout puts
 * the token id on a Redis deny-list until the token would expire anyway.
 */
export function createTokens(opts: { secret: string; ttlSeconds: number; redis: Redis; key: (...p: string[]) => string }) {
  const secret = new TextEncoder().encode(opts.secret);
  const revokedKey = (jti: string) => opts.key('auth', 'revoked', jti);

  return {
    async issue(userId: string): Promise<{ token: string; expiresAt: number }> {
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(userId)
        .setJti(randomUUID())
        .setIssuedAt(now)
        .setExpirationTime(now + opts.ttlSeconds)
        .setIssuer('lotus')
        .sign(secret);
      return { token, expiresAt: (now + opts.ttlSeconds) * 1000 };
    },

    /** Returns the claims of a valid, unrevoked token, or null. */
    async verify(token: string): Promise<TokenClaims | null> {
      if (token.length > 2048) return null;
      try {
        const { payload } = await jwtVerify(token, secret, { issuer: 'lotus', algorithms: ['HS256'] });
        if (!payload.sub || !payload.jti || !payload.exp) return null;
        if (await opts.redis.exists(revokedKey(payload.jti))) return null;
        return { userId: payload.sub, jti: payload.jti, expiresAt: payload.exp * 1000 };
      } catch (err) {
        if (err instanceof errors.JOSEError) return null;
        throw err;
      }
    },

    async revoke(claims: TokenClaims): Promise<void> {
      const ttlMs = Math.max(1_000, claims.expiresAt - Date.now());
      await opts.redis.set(revokedKey(claims.jti), '1', { expiration: { type: 'PX', value: ttlMs } });
    },
  };
}

export type Tokens = ReturnType<typeof createTokens>;
