import type { Role, User } from '../../contracts/auth.js';
import { ApiError, onSignedOut } from './api.js';
import { fetchMe, logOut } from './lotus-api.js';
import { createStore, useStore } from './store.js';

export type Session =
  | { status: 'loading'; user: null }
  | { status: 'ready'; user: User | null }
  | { status: 'offline'; user: null; error: ApiError };

/** Who is using the app: loaded from GET /api/me when the app starts. */
export const session = createStore<Session>({ status: 'loading', user: null });

// A session that expired mid-visit: show the person as logged out rather than half-signed-in.
onSignedOut(() => {
  if (session.get().user) session.set({ status: 'ready', user: null });
});

export async function loadSession(): Promise<void> {
  try {
    const { user } = await fetchMe();
    session.set({ status: 'ready', user });
  } catch (err) {
    if (err instanceof ApiError && err.code === 'UNAUTHENTICATED') {
      session.set({ status: 'ready', user: null });
    } else {
      const error = err instanceof ApiError ? err : new ApiError('UNKNOWN', String(err), 0);
      session.set({ status: 'offline', user: null, error });
    }
  }
}

export function signedIn(user: User): void {
  session.set({ status: 'ready', user });
}

export async function signOut(): Promise<void> {
  try {
    await logOut();
  } catch (err) {
    // Already logged out on the server (expired session): the goal is reached.
    if (!(err instanceof ApiError && err.code === 'UNAUTHENTICATED')) throw err;
  }
  session.set({ status: 'ready', user: null });
}

export function useSession(): Session {
  return useStore(session);
}

export const staffRoles: readonly Role[] = ['moderator', 'admin'];
export const writerRoles: readonly Role[] = ['writer', 'admin'];
export const adminRoles: readonly Role[] = ['admin'];

export function hasRole(user: User | null, allowed: readonly Role[]): boolean {
  return user !== null && allowed.includes(user.role);
}
