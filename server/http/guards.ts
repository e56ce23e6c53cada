import type { Request } from 'express';
import type { Role } from '../../contracts/auth.js';
import type { Session } from '../features/auth/service.js';
import { forbidden, unauthenticated } from '../errors.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the session middleware: null for guests. */
    session: Session | null;
  }
}

/** The caller's session, or UNAUTHENTICATED. */
export function requireSession(req: Request): Session {
  if (!req.session) throw unauthenticated();
  return req.session;
}

/** The caller's session when their role is one of `roles`; FORBIDDEN otherwise. */
export function requireRole(req: Request, roles: readonly Role[]): Session {
  const session = requireSession(req);
  if (!roles.includes(session.user.role)) throw forbidden();
  return session;
}
