import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFor, isolation, startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';
import { createRoom } from '../support/rooms.js';
import { connectSocket, socketPool, type ClientSocket } from '../support/sockets.js';
import { allowance } from '../support/allowance.js';
import { eventually } from '../support/workers.js';
import { startPgRelay, type PgRelay } from '../support/pg-relay.js';
import { checkAnswer, discoverRoutes, inBatches, request as ask, validRequests, type Answer, type Method, type ValidRequest } from '../support/sweep.js';
import { startPrivateRedis, type PrivateRedis } from '../../server/redis/private-redis-server.js';
import type { Room } from '../../contracts/rooms.js';

/**
 * Every HTTP route, and every socket event, while Redis is down and then while Postgres
 * is: each answers at once with a success (what a cache can serve) or a stable error
 * (UNAVAILABLE, 503), never a 500 and never a hang; and Lotus is well again once the
 * dependency is back.
 */

const routes = discoverRoutes().filter((r) => !r.path.endsWith('/logout'));
let dir: string;
let redis: PrivateRedis;
let redisPort: number;
let relay: PgRelay;
let app: TestApp;
let room: Room;
let fan: Account;
let admin: Account;
let valid: ValidRequest[];
const sockets = socketPool(() => app.url);
const request = (method: Method, url: string, header: string | undefined, body: string | undefined) => ask(app.url, method, url, header, body);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotus-outage-sweep-'));
  redis = await startPrivateRedis({ dataDir: dir });
  redisPort = Number(new URL(redis.url).port);
  const shared = isolation('outage_sweep');
  relay = await startPgRelay((await databaseFor(shared.DATABASE_SCHEMA)).url);
  // A request waits at most a second for a connection while Postgres is away.
  app = await startTestApp({ shared, databaseUrl: relay.url, redisUrl: redis.url, env: { DATABASE_ACQUIRE_TIMEOUT_MS: '1000' } });
  admin = await createAccount(app, 'admin');
  fan = await createAccount(app);
  room = await createRoom(app, admin);
  valid = await validRequests(app, room);
}, 60_000);

afterAll(async () => {
  sockets.closeAll();
  relay?.restore();
  await app?.stop();
  await relay?.close();
  await redis?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every route (real ids, an empty or a valid body) and every valid request, as guest, fan and admin. */
async function sweep(): Promise<Answer[]> {
  const jobs: Array<() => Promise<Answer>> = [];
  for (const who of [undefined, fan.bearer, admin.bearer]) {
    for (const r of routes) {
      const url = r.path.replace(/:ip\b/, encodeURIComponent(room.ip)).replace(/:[a-zA-Z]+/g, room.id);
      jobs.push(() => request(r.method, url, who, r.method === 'get' || r.method === 'delete' ? undefined : '{}'));
    }
  }
  for (const v of valid) jobs.push(() => request(v.method, v.path, v.who?.bearer, JSON.stringify(v.body)));
  const started = Date.now();
  const answers = await inBatches(jobs);
  // Nothing waited for the dependency to come back: each answered within the acquire timeout or so.
  expect(Date.now() - started).toBeLessThan(allowance(120_000));
  return answers;
}

/** Socket events with well-formed payloads, so that they reach Redis and Postgres, on a socket opened before the outage. */
async function sweepEvents(socket: ClientSocket): Promise<string[]> {
  const payloads: Array<[string, object]> = [
    ['room:join', { roomId: room.id }],
    ['danmaku:send', { roomId: room.id, text: 'during the outage' }],
    ['danmaku:like', { id: randomUUID() }],
    ['danmaku:report', { id: randomUUID(), reason: 'spam' }],
    ['poll:vote', { pollId: randomUUID(), optionIds: ['o1'] }],
    ['room:leave', { roomId: room.id }],
    ['clock:ping', { t0: 1 }],
    ['session:whoami', {}],
  ];
  const codes: string[] = [];
  for (const [event, payload] of payloads) {
    const ack = (await socket.timeout(allowance(10_000)).emitWithAck(event, payload)) as any;
    if (!ack.ok) {
      expect(ack.error.code, `${event}: ${JSON.stringify(ack)}`).not.toBe('INTERNAL');
      codes.push(ack.error.code);
    }
  }
  expect(socket.connected).toBe(true);
  return codes;
}

async function wellAgain() {
  await eventually(async () => (await request('get', '/healthz', undefined, undefined)).status === 200, 30_000);
  const rooms = await request('get', '/api/rooms', undefined, undefined);
  expect(rooms.status).toBe(200);
  const s = await connectSocket(app.url, { token: fan.token });
  try {
    const ack = await eventually(async () => {
      const a = (await s.timeout(allowance(5_000)).emitWithAck('danmaku:send', { roomId: room.id, text: `after ${Date.now()}` })) as any;
      return a.ok && a;
    }, 20_000);
    expect(ack.danmaku.roomId).toBe(room.id);
  } finally {
    s.close();
  }
}

describe('every route and event while a dependency is down', () => {
  it('with Redis down: successes from what is cached, or UNAVAILABLE; never a 500 or a hang; well again after', { timeout: allowance(240_000) }, async () => {
    const socket = await sockets.open(fan.token);
    await redis.stop();
    // A new connection is refused at once, not left waiting.
    await expect(connectSocket(app.url, { token: fan.token })).rejects.toThrow('UNAVAILABLE');
    const answers = await sweep();
    for (const a of answers) checkAnswer(a, [503]);
    const unavailable = answers.filter((a) => a.status === 503);
    expect(unavailable.length).toBeGreaterThan(0);
    for (const a of unavailable.filter((x) => x.label.includes(' /api/'))) expect(a.body.error.code, a.label).toBe('UNAVAILABLE');
    expect(await sweepEvents(socket)).toContain('UNAVAILABLE');
    redis = await startPrivateRedis({ dataDir: dir, port: redisPort });
    await wellAgain();
  });

  it('with Postgres down: successes from what is cached, or UNAVAILABLE; never a 500 or a hang; well again after', { timeout: allowance(240_000) }, async () => {
    const socket = await sockets.open(fan.token);
    relay.cut();
    const answers = await sweep();
    for (const a of answers) checkAnswer(a, [503]);
    const unavailable = answers.filter((a) => a.status === 503);
    expect(unavailable.length).toBeGreaterThan(0);
    for (const a of unavailable.filter((x) => x.label.includes(' /api/'))) expect(a.body.error.code, a.label).toBe('UNAVAILABLE');
    await sweepEvents(socket);
    relay.restore();
    await wellAgain();
  });
});
