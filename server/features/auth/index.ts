import type { Deps } from '../../deps.js';
import { createLimiter } from '../../rate-limit.js';
import { createUserStore } from './store.js';
import { createTokens } from './tokens.js';
import { createAuthService, type AfterRoleChange } from './service.js';
import { createAuthRoutes } from './routes.js';

export type { Session, AuthService, AfterRoleChange } from './service.js';
export { tokenFrom, SESSION_COOKIE } from './credentials.js';

/** Builds the accounts feature: service for other features, router for HTTP. */
export function createAuth(deps: Deps & { jwtSecret: string }) {
  const { config, redis, db } = deps;
  const limiter = (name: string, points: number, durationS: number, message: string) =>
    createLimiter({ redis, prefix: config.REDIS_PREFIX, name, points, durationS, message });
  // Filled by the composition root once the socket server exists (live role changes).
  const afterRoleChange: AfterRoleChange[] = [];
  const service = createAuthService({
    afterRoleChange,
    store: createUserStore(db.orm),
    tokens: createTokens({ secret: deps.jwtSecret, ttlSeconds: config.LOTUS_TOKEN_TTL_S, redis, key: deps.key }),
    limits: {
      loginPerHandle: limiter('login-handle', config.LOGIN_ATTEMPTS_PER_15MIN, 900, 'too many login attempts for this account; try again later'),
      loginPerIp: limiter('login-ip', config.LOGIN_ATTEMPTS_PER_15MIN * 10, 900, 'too many login attempts from your network; try again later'),
      registerPerIp: limiter('register-ip', config.REGISTRATIONS_PER_HOUR, 3600, 'too many new accounts from your network; try again later'),
    },
  });
  return { service, afterRoleChange, routes: createAuthRoutes({ auth: service, secureCookies: config.secureCookies }) };
}
