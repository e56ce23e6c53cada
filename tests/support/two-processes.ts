import { afterAll, beforeAll } from 'vitest';
import type { Room } from '../../contracts/rooms.js';
import { createAccount, type Account } from './accounts.js';
import { isolation, startTestApp, type TestApp } from './app.js';
import { createRoom } from './rooms.js';
import { connectSocket, type ClientSocket } from './sockets.js';

/** Two server processes' worth of Lotus on one database and Redis, a moderator and a live room. */
export interface TwoProcesses {
  a: TestApp;
  b: TestApp;
  mod: Account;
  room: Room;
  /** A socket on `app` for `token` (a guest without one), closed after the file. */
  connect(app: TestApp, token?: string): Promise<ClientSocket>;
}

/**
 * Registers the file's hooks: starts A and B sharing one isolation, creates a moderator and a
 * live room through A, and stops everything after the file. The fields are set once the
 * file's `beforeAll` has run.
 */
export function twoProcesses(label: string, env: Record<string, string> = {}): TwoProcesses {
  const iso = isolation(label);
  const sockets: ClientSocket[] = [];
  const ctx = {
    async connect(app: TestApp, token?: string) {
      const s = await connectSocket(app.url, token ? { token } : undefined);
      sockets.push(s);
      return s;
    },
  } as TwoProcesses;
  beforeAll(async () => {
    ctx.a = await startTestApp({ shared: iso, env });
    ctx.b = await startTestApp({ shared: iso, env });
    ctx.mod = await createAccount(ctx.a, 'moderator');
    ctx.room = await createRoom(ctx.a, ctx.mod);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await ctx.b?.stop();
    await ctx.a?.stop();
  });
  return ctx;
}
