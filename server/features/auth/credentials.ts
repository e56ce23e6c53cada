import { parse as parseCookie } from 'cookie';

export const SESSION_COOKIE = 'lotus_token';

/**
 * Finds a session token where each kind of client puts it: `Authorization: Bearer`
 * for API clients, the explicit handshake `auth.token` for sockets, and the
 * httpOnly cookie for the web client. An explicit token wins over the cookie.
 */
export function tokenFrom(source: { authorization?: string; cookie?: string; explicit?: unknown }): string | undefined {
  if (typeof source.explicit === 'string' && source.explicit) return source.explicit;
  const auth = source.authorization;
  if (auth && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim() || undefined;
  if (source.cookie) {
    try {
      return parseCookie(source.cookie)[SESSION_COOKIE] || undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
