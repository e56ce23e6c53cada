import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';
import { connectSocket, emitAck } from '../support/sockets.js';
import { createRoom } from '../support/rooms.js';
import type { Role } from '../../contracts/auth.js';

type Who = 'guest' | Role;
const EVERYONE: Who[] = ['guest', 'fan', 'moderator', 'writer', 'admin'];
const ACCOUNTS: Who[] = ['fan', 'moderator', 'writer', 'admin'];
const STAFF: Who[] = ['moderator', 'admin'];
const WRITERS: Who[] = ['writer', 'admin'];
const ADMIN: Who[] = ['admin'];
const ZERO = '00000000-0000-4000-8000-000000000000';

let app: TestApp;
const accounts: Partial<Record<Role, Account>> = {};
let roomId = '';

beforeAll(async () => {
  app = await startTestApp({ env: { DANMAKU_USER_INTERVAL_MS: '0' } });
  for (const role of ['fan', 'moderator', 'writer', 'admin'] as const) accounts[role] = await createAccount(app, role);
  roomId = (await createRoom(app, accounts.moderator!)).id;
});
afterAll(() => app?.stop());

/** Every HTTP route of Lotus and who may use it. Payloads are minimal; only authorisation is judged here. */
const routes = (): Array<[string, string, Who[], object?]> => [
  // Empty bodies: answered VALIDATION_FAILED for everyone, so no account is created or logged in.
  ['post', '/api/auth/register', EVERYONE, {}],
  ['post', '/api/auth/login', EVERYONE, {}],
  ['get', '/api/me', ACCOUNTS],
  ['patch', `/api/users/${ZERO}/role`, ADMIN, { role: 'fan' }],
  ['get', '/api/rooms', EVERYONE],
  ['get', `/api/rooms/${roomId}`, EVERYONE],
  ['post', '/api/rooms', STAFF, {}],
  ['get', `/api/rooms/${roomId}/danmaku`, EVERYONE],
  ['get', `/api/rooms/${roomId}/density`, EVERYONE],
  ['get', '/api/admin/danmaku/refused', ADMIN],
  ['post', '/api/admin/danmaku/refused/1-0/retry', ADMIN, {}],
  ['delete', '/api/admin/danmaku/refused/1-0', ADMIN],
  ['get', `/api/rooms/${roomId}/settings`, STAFF],
  ['put', `/api/rooms/${roomId}/settings`, STAFF, {}],
  ['post', `/api/rooms/${roomId}/polls`, STAFF, {}],
  ['get', `/api/rooms/${roomId}/polls`, EVERYONE],
  ['get', `/api/polls/${ZERO}`, EVERYONE],
  ['post', `/api/polls/${ZERO}/open`, STAFF],
  ['post', `/api/polls/${ZERO}/close`, STAFF],
  ['get', `/api/polls/${ZERO}/segments`, ['moderator', 'admin', 'writer']],
  ['get', '/api/me/profile', ACCOUNTS],
  ['patch', '/api/me/profile', ACCOUNTS, {}],
  ['post', '/api/proposals', ACCOUNTS, {}],
  ['get', '/api/proposals', EVERYONE],
  ['get', `/api/proposals/${ZERO}`, EVERYONE],
  ['post', `/api/proposals/${ZERO}/vote`, ACCOUNTS, { value: 1 }],
  ['get', '/api/writers/proposals', WRITERS],
  ['get', '/api/writers/proposals/export', WRITERS],
  ['get', `/api/writers/proposals/${ZERO}`, WRITERS],
  ['post', `/api/writers/proposals/${ZERO}/decision`, WRITERS, {}],
  ['post', `/api/writers/proposals/${ZERO}/merge`, WRITERS, {}],
  ['post', '/api/writers/polls', WRITERS, {}],
  ['put', '/api/ips/Some%20IP/settings', ADMIN, {}],
  ['post', '/api/moderation/actions', STAFF, {}],
  ['get', '/api/moderation/terms', STAFF],
  ['put', '/api/moderation/terms', ADMIN, {}],
  ['post', '/api/moderation/terms/test', STAFF, {}],
  ['get', '/api/moderation/audit', STAFF],
  ['get', '/api/moderation/queue', STAFF],
  ['post', '/api/moderation/queue/bulk', STAFF, {}],
  ['get', '/api/moderation/users?q=someone', STAFF],
  ['get', `/api/moderation/users/${ZERO}`, STAFF],
  ['get', '/api/moderation/appeals', STAFF],
  ['post', `/api/moderation/appeals/${ZERO}/decision`, STAFF, {}],
  ['post', '/api/reports', ACCOUNTS, {}],
  ['post', '/api/appeals', ACCOUNTS, {}],
  ['get', '/api/appeals/mine', ACCOUNTS],
  ['get', '/admin/queues', ADMIN],
  ['get', '/healthz', EVERYONE],
  ['get', '/metrics', EVERYONE],
  // Last: it revokes the tokens used above.
  ['post', '/api/auth/logout', EVERYONE],
];

describe('role matrix: every HTTP route', () => {
  it('gives each role exactly what it allows, and UNAUTHENTICATED or FORBIDDEN otherwise', async () => {
    const failures: string[] = [];
    for (const [method, path, allowed, body] of routes()) {
      for (const who of EVERYONE) {
        let req = (app.http as any)[method](path);
        if (who !== 'guest') req = req.set('Authorization', accounts[who]!.bearer);
        const res = await (body ? req.send(body) : req);
        const denied = res.status === 401 || res.status === 403;
        const expected = allowed.includes(who) ? 'allowed' : who === 'guest' ? 401 : 403;
        const ok = expected === 'allowed' ? !denied && res.status < 500 : res.status === expected && res.body.error?.code === (expected === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN');
        if (!ok) failures.push(`${method.toUpperCase()} ${path} as ${who}: ${res.status} (expected ${expected})`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('role matrix: every socket event', () => {
  beforeAll(async () => {
    // The HTTP matrix ended with logout: log every role in again.
    for (const role of ['fan', 'moderator', 'writer', 'admin'] as const) {
      const res = await app.http.post('/api/auth/login').send({ handle: accounts[role]!.user.handle, password: accounts[role]!.password });
      accounts[role] = { ...accounts[role]!, token: res.body.token, bearer: `Bearer ${res.body.token}` };
    }
  });

  it('lets guests watch and refuses every write with UNAUTHENTICATED', async () => {
    const events: Array<[string, unknown, 'anyone' | 'account']> = [
      ['session:whoami', {}, 'anyone'],
      ['clock:ping', { t0: 1 }, 'anyone'],
      ['room:join', { roomId }, 'anyone'],
      ['room:leave', { roomId }, 'anyone'],
      ['danmaku:send', { roomId, text: 'matrix' }, 'account'],
      ['danmaku:like', { id: ZERO }, 'account'],
      ['danmaku:report', { id: ZERO, reason: 'spam' }, 'account'],
      ['poll:vote', { pollId: ZERO, optionIds: ['o1'] }, 'account'],
    ];
    const failures: string[] = [];
    for (const who of EVERYONE) {
      const socket = await connectSocket(app.url, who === 'guest' ? {} : { token: accounts[who]!.token });
      for (const [event, payload, access] of events) {
        const ack = await emitAck(socket, event, payload);
        const refused = ack.ok === false && (ack.error.code === 'UNAUTHENTICATED' || ack.error.code === 'FORBIDDEN');
        const shouldRefuse = access === 'account' && who === 'guest';
        if (refused !== shouldRefuse) failures.push(`${event} as ${who}: ${JSON.stringify(ack).slice(0, 120)}`);
      }
      socket.close();
    }
    expect(failures).toEqual([]);
  });

  it('staff-only socket rooms never include fans: a fan cannot receive moderation or hidden poll results', async () => {
    const fan = await connectSocket(app.url, { token: accounts.fan!.token });
    const mod = await connectSocket(app.url, { token: accounts.moderator!.token });
    const seen = { fan: [] as string[], mod: [] as string[] };
    fan.onAny((event) => seen.fan.push(event));
    mod.onAny((event) => seen.mod.push(event));
    await emitAck(fan, 'room:join', { roomId });
    await emitAck(mod, 'room:join', { roomId });
    const poll = (await app.http.post(`/api/rooms/${roomId}/polls`).set('Authorization', accounts.moderator!.bearer).send({ question: 'Q', options: ['a', 'b'], durationMs: 60_000, resultsVisibility: 'after_close' })).body.poll;
    await app.http.post(`/api/polls/${poll.id}/open`).set('Authorization', accounts.moderator!.bearer).expect(200);
    const updates: any[] = [];
    fan.on('poll:update', (u) => updates.push(u));
    const staffGotTallies = new Promise<void>((resolve) => mod.on('poll:update', (u: any) => u.tallies && resolve()));
    expect((await emitAck(fan, 'poll:vote', { pollId: poll.id, optionIds: ['o1'] })).ok).toBe(true);
    await app.http.post('/api/reports').set('Authorization', accounts.fan!.bearer).send({ targetType: 'user', targetId: accounts.writer!.user.id, reason: 'spam' }).expect(201);
    await staffGotTallies;
    await new Promise<void>((resolve) => (seen.mod.includes('moderation:queue') ? resolve() : mod.once('moderation:queue', () => resolve())));
    expect(updates.every((u) => u.tallies === undefined)).toBe(true);
    expect(seen.fan).not.toContain('moderation:queue');
    fan.close();
    mod.close();
  });
});
