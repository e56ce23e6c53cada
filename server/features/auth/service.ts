import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../../../contracts/errors.js';
import type { LoginInput, RegisterInput, Role, User } from '../../../contracts/auth.js';
import { AppError, conflict, notFound, unauthenticated } from '../../errors.js';
import type { Limiter } from '../../rate-limit.js';
import type { UserStore } from './store.js';
import type { TokenClaims, Tokens } from './tokens.js';
import { decoyHash, hashPassword, verifyPassword } from './passwords.js';

export interface Session {
  user: User;
  claims: TokenClaims;
}

export interface AuthLimits {
  loginPerHandle: Limiter;
  loginPerIp: Limiter;
  registerPerIp: Limiter;
}

/** Runs after an account's role is stored (live sockets follow it); the role change answers once all have run. */
export type AfterRoleChange = (user: User) => Promise<void>;

/** Accounts, sessions and roles. Transports call it; it knows nothing of HTTP or sockets. */
export function createAuthService(deps: { store: UserStore; tokens: Tokens; limits: AuthLimits; afterRoleChange?: AfterRoleChange[] }) {
  const { store, tokens, limits } = deps;
  const afterRoleChange = deps.afterRoleChange ?? [];

  async function issue(user: User) {
    const { token, expiresAt } = await tokens.issue(user.id);
    return { user, token, expiresAt };
  }

  return {
    async register(input: RegisterInput, ip: string) {
      await limits.registerPerIp.consume(ip);
      const user = await store.insert({
        id: randomUUID(),
        handle: input.handle,
        displayName: input.displayName ?? input.handle,
        passwordHash: await hashPassword(input.password),
        role: 'fan',
      });
      if (!user) throw conflict('that handle is taken');
      return issue(user);
    },

    async login(input: LoginInput, ip: string) {
      const handleKey = input.handle.toLowerCase();
      await limits.loginPerIp.consume(ip);
      await limits.loginPerHandle.consume(handleKey);
      const found = await store.credentialsByHandle(input.handle);
      const ok = await verifyPassword(found?.passwordHash ?? (await decoyHash), input.password);
      if (!found || !ok) throw new AppError(ErrorCode.UNAUTHENTICATED, 'wrong handle or password');
      await limits.loginPerHandle.reset(handleKey);
      return issue(found.user);
    },

    async logout(session: Session): Promise<void> {
      await tokens.revoke(session.claims);
    },

    /** Resolves a token to a live session, or null for a guest / bad / revoked token. */
    async authenticate(token: string | undefined): Promise<Session | null> {
      if (!token) return null;
      const claims = await tokens.verify(token);
      if (!claims) return null;
      const user = await store.byId(claims.userId);
      return user ? { user, claims } : null;
    },

    async requireUser(token: string | undefined): Promise<Session> {
      const session = await this.authenticate(token);
      if (!session) throw unauthenticated();
      return session;
    },

    async changeRole(userId: string, role: Role): Promise<User> {
      const user = await store.setRole(userId, role);
      if (!user) throw notFound('user');
      for (const hook of afterRoleChange) await hook(user);
      return user;
    },

    async getUser(userId: string): Promise<User> {
      const user = await store.byId(userId);
      if (!user) throw notFound('user');
      return user;
    },

    /**
     * Creates an account with this password and role, or resets an existing one to them.
     * Used for the configured first admin and the demo accounts.
     */
    async ensureAccount(handle: string, password: string, role: Role, displayName = handle): Promise<User> {
      const passwordHash = await hashPassword(password);
      const existing = await store.credentialsByHandle(handle);
      if (existing) {
        await store.setPasswordAndRole(existing.user.id, passwordHash, role);
        return { ...existing.user, role };
      }
      const created = await store.insert({ id: randomUUID(), handle, displayName, passwordHash, role });
      if (created) return created;
      return this.ensureAccount(handle, password, role, displayName); // another process created it between our read and insert
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
