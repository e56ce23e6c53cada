import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';
import { createRoom } from '../support/rooms.js';
import { connectSocket, emitAck, type ClientSocket } from '../support/sockets.js';
import { allowance } from '../support/allowance.js';
import type { Room } from '../../contracts/rooms.js';
import { checkAnswer, discoverEvents, discoverRoutes, fill, inBatches, request as ask, validRequests, type Answer, type Method } from '../support/sweep.js';

/**
 * Every HTTP route and every socket event, found in the server's source (so a new one is
 * swept without touching this file), fed garbage by a guest, a fan and an admin: each
 * answer is a stable error code (or a success), never a 500, a hang or a crash, and the
 * server's own counters show no INTERNAL outcome afterwards.
 */

const routes = discoverRoutes();
const events = discoverEvents();
const request = (method: Method, url: string, header: string | undefined, body: string | undefined) => ask(app.url, method, url, header, body);

/** What goes in place of a path parameter besides a real id. */
const BAD_PARAMS = ['not-a-uuid', randomUUID(), 'a%00b', '%E0%A4%A', '..%2F..%2Fetc%2Fpasswd', '%3Cscript%3Ealert(1)%3C%2Fscript%3E', 'x'.repeat(3_000)];

/** Raw JSON bodies: broken, of the wrong type, hostile in shape. */
const RAW_BODIES = [
  '{"a":',
  'null',
  '[]',
  '"just text"',
  '12',
  '{}',
  '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
  JSON.stringify({ id: { $gt: '' }, roomId: ['a'], text: { toString: 1 }, title: 42, options: 'yes', startsAt: 'soon', durationMs: -1, role: 'god', reason: null, ids: 'x', page: NaN }),
  JSON.stringify({ text: '<img src=x onerror=alert(1)>', title: '<script>alert(1)</script>', body: '\u0000\ud800', handle: 'a'.repeat(500) }),
  '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
];

const BAD_QUERIES = [
  '?limit=-1&cursor=zzz&fromMs=abc&toMs=1e400&bucketMs=0&page=-5&sort=%00',
  '?limit=1&limit=2&status[]=open&q[$ne]=1',
  `?cursor=${'A'.repeat(4_000)}&q=${encodeURIComponent('<script>')}`,
  // One key at a time (strict query schemas refuse unknown keys before looking at values):
  // a NUL, which Postgres refuses in text, in every filter a route might pass to a query.
  ...['ip', 'tag', 'q', 'cursor', 'status', 'format', 'sort', 'type', 'targetType', 'targetId', 'actorId', 'roomId', 'action'].map((key) => `?${key}=a%00b`),
];

/** Socket payloads: nothing, wrong types, wrong shapes, markup, a big string. */
const BAD_PAYLOADS = (roomId: string): unknown[] => [
  undefined,
  null,
  1,
  'x',
  [],
  {},
  { roomId: 1 },
  { roomId: 'not-a-uuid', t0: 'now', id: [] },
  { roomId, text: 5, mode: 'sideways', color: 'red', offsetMs: -1 },
  { roomId, text: '<script>alert(1)</script>', offsetMs: Number.MAX_SAFE_INTEGER, extra: true },
  { id: { $gt: '' }, reason: { a: 1 }, pollId: randomUUID(), optionIds: 'all' },
  { roomId, sinceSeq: '../../etc', t0: Infinity },
  // Shaped like a stream id, but past what Redis stream ids hold (two unsigned 64-bit numbers).
  { roomId, sinceSeq: '99999999999999999999-99999999999999999999' },
  { roomId, sinceSeq: '0-0' },
  { roomId, sinceSeq: '18446744073709551615-18446744073709551615' },
  // Under the socket's frame limit (SOCKET_MAX_BUFFER_BYTES, 16 KiB); a bigger frame closes the connection (tests/realtime/handshake.test.ts).
  { roomId, text: 'x'.repeat(15_000) },
];

let app: TestApp;
let room: Room;
const identities: Array<{ name: string; header?: string; account?: Account }> = [];
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  // The sweep sends hundreds of events per connection at once; the budget has its own test (tests/realtime/event-budget.test.ts).
  app = await startTestApp({ env: { SOCKET_EVENTS_PER_S: '1000000', SOCKET_EVENTS_BURST: '1000000' } });
  const admin = await createAccount(app, 'admin');
  const fan = await createAccount(app);
  room = await createRoom(app, admin);
  identities.push(
    { name: 'guest' },
    { name: 'forged token', header: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' },
    { name: 'fan', header: fan.bearer, account: fan },
    { name: 'admin', header: admin.bearer, account: admin },
  );
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await app?.stop();
});


/** Copies of `value` in which one leaf at a time is replaced by each poison for its type. */
function leafVariants(value: unknown, poisons: { text: unknown[]; number: unknown[] }): unknown[] {
  if (typeof value === 'string') return poisons.text;
  if (typeof value === 'number') return poisons.number;
  if (Array.isArray(value)) return value.flatMap((item, i) => leafVariants(item, poisons).map((v) => value.map((x, j) => (j === i ? v : x))));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, item]) => leafVariants(item, poisons).map((v) => ({ ...value, [k]: v })));
  }
  return [];
}


describe('garbage sweep', () => {
  it('finds the routes and events it sweeps', () => {
    // A broken discovery would make the sweep pass by sweeping nothing.
    expect(routes.length).toBeGreaterThan(40);
    expect(routes).toContainEqual({ method: 'post', path: '/api/rooms' });
    expect(routes).toContainEqual({ method: 'get', path: '/api/rooms/:id/danmaku' });
    expect(routes).toContainEqual({ method: 'post', path: '/api/proposals/:id/vote' });
    expect(events).toEqual(expect.arrayContaining(['danmaku:send', 'danmaku:like', 'danmaku:report', 'room:join', 'room:leave', 'clock:ping', 'poll:vote', 'session:whoami']));
  });

  it('every HTTP route answers garbage with a stable error, never a 500', { timeout: allowance(240_000) }, async () => {
    const jobs: Array<() => Promise<Answer>> = [];
    for (const who of identities) {
      for (const r of routes) {
        const real = fill(r.path, r.path.includes('/ips/') ? encodeURIComponent(room.ip) : room.id);
        const withBody = r.method !== 'get' && r.method !== 'delete';
        // Every bad parameter, with an empty object (or no) body.
        if (r.path.includes(':')) for (const p of BAD_PARAMS) jobs.push(() => request(r.method, fill(r.path, p), who.header, withBody ? '{}' : undefined));
        // Every bad body and query on the real id.
        if (withBody) for (const b of RAW_BODIES) jobs.push(() => request(r.method, real, who.header, b));
        else for (const q of BAD_QUERIES) jobs.push(() => request(r.method, real + q, who.header, undefined));
      }
    }
    const answers = await inBatches(jobs);
    for (const a of answers) checkAnswer(a);
    // The sweep reached past the doors: some answers were validation errors, not only 401/403/404.
    const codes = new Set(answers.map((a) => a.body?.error?.code).filter(Boolean));
    expect([...codes]).toEqual(expect.arrayContaining(['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND']));
    // And the server is still well.
    expect((await request('get', '/healthz', undefined, undefined)).status).toBe(200);
  });

  it('every socket event answers garbage with {ok:false,error}, and the socket stays up', { timeout: allowance(120_000) }, async () => {
    // A forged token does not get a socket at all.
    await expect(connectSocket(app.url, { token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' })).rejects.toThrow('UNAUTHENTICATED');
    // Fresh accounts: the HTTP sweep ended with the fan and the admin logging out.
    const [fan, admin] = [await createAccount(app), await createAccount(app, 'admin')];
    const clients = await Promise.all([undefined, fan.token, admin.token].map((token) => connectSocket(app.url, { token })));
    sockets.push(...clients);
    const seen = new Set<string>();
    for (const socket of clients) {
      for (const event of events) {
        for (const payload of BAD_PAYLOADS(room.id)) {
          const ack = (await socket.timeout(allowance(5_000)).emitWithAck(event, payload)) as any;
          const label = `${event} ${JSON.stringify(payload)?.slice(0, 100)}`;
          expect(ack, label).toEqual(expect.objectContaining({ ok: expect.any(Boolean) }));
          if (!ack.ok) {
            expect(ack.error, label).toEqual(expect.objectContaining({ code: expect.stringMatching(/^[A-Z_]+$/), message: expect.any(String) }));
            expect(ack.error.code, label).not.toBe('INTERNAL');
            seen.add(ack.error.code);
          }
        }
        // No ack function, extra arguments, a function where data goes: nothing answers, nothing breaks.
        socket.emit(event);
        socket.emit(event, { roomId: room.id }, 'second', 3);
        socket.emit(event, () => undefined);
      }
      // Still connected and answering.
      const pong = (await socket.timeout(allowance(5_000)).emitWithAck('clock:ping', { t0: 1 })) as any;
      expect(pong).toEqual(expect.objectContaining({ ok: true, t0: 1 }));
      expect(socket.connected).toBe(true);
    }
    expect([...seen]).toEqual(expect.arrayContaining(['VALIDATION_FAILED', 'UNAUTHENTICATED']));
  });

  it('a valid request with a NUL, a lone surrogate, a bidi override, an edge date or an edge number in any field is stored or refused, never a 500', { timeout: allowance(120_000) }, async () => {
    const valid = await validRequests(app, room);
    const texts = ['a\u0000b', 'a\ud800b', '\u202egnp.exe', '\u0000'];
    const poisons = {
      // Texts, and dates at the edges of what JavaScript and Postgres hold (where a text is a date).
      text: [...texts, '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '+275760-09-13T00:00:00.000Z', '2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z'],
      // Numbers past int4, past safe integers, fractions and negative zero.
      number: [-1, -0, 0.5, 2 ** 31, 2 ** 53 + 2, 1e308],
    };
    for (const v of valid) {
      const base = await request(v.method, v.path, v.who ? v.who.bearer : undefined, JSON.stringify(v.body));
      expect(base.status, `${base.label} as written → ${base.text.slice(0, 300)}`).toBeLessThan(300);
      for (const [i, variant] of leafVariants(v.body, poisons).entries()) {
        const a = await request(v.method, v.path, v.who ? v.who.bearer : undefined, JSON.stringify(variant));
        checkAnswer({ ...a, label: `${a.label} variant ${i}: ${JSON.stringify(variant).slice(0, 160)}` });
      }
    }
    // The same on the socket: a danmaku whose text carries them.
    const socket = await connectSocket(app.url, { token: (await createAccount(app)).token });
    sockets.push(socket);
    for (const text of texts) {
      const ack = (await socket.timeout(allowance(5_000)).emitWithAck('danmaku:send', { roomId: room.id, text })) as any;
      expect(ack.ok === true || ack.error.code !== 'INTERNAL', JSON.stringify(ack)).toBe(true);
    }
  });

  it('the same valid request ten times at once (a double click, a retrying client) is stored or refused, never a 500', { timeout: allowance(120_000) }, async () => {
    for (const v of await validRequests(app, room)) {
      const answers = await Promise.all(Array.from({ length: 10 }, () => request(v.method, v.path, v.who ? v.who.bearer : undefined, JSON.stringify(v.body))));
      for (const a of answers) checkAnswer(a);
      // At least one of them went through: the race was run, not refused at the door.
      expect(answers.some((a) => a.status < 300), `${v.method} ${v.path}: ${answers.map((a) => a.status).join(' ')}`).toBe(true);
    }
  });

  it('the same step of a flow ten times at once (open and close a poll, appeal and decide, like, report, vote) is done once or refused, never a 500', { timeout: allowance(120_000) }, async () => {
    const admin = await createAccount(app, 'admin');
    const fan = await createAccount(app);
    const tenTimes = async (method: Method, path: string, who: Account, body?: object) => {
      const answers = await Promise.all(Array.from({ length: 10 }, () => request(method, path, who.bearer, body ? JSON.stringify(body) : undefined)));
      for (const a of answers) checkAnswer(a);
      const ok = answers.filter((a) => a.status < 300);
      expect(ok.length, `${method} ${path}: ${answers.map((a) => a.status).join(' ')}`).toBeGreaterThan(0);
      return ok[0].body;
    };
    const tenAcks = async (socket: ClientSocket, event: string, payload: object) => {
      const acks = (await Promise.all(Array.from({ length: 10 }, () => socket.timeout(allowance(5_000)).emitWithAck(event, payload)))) as any[];
      for (const ack of acks) if (!ack.ok) expect(ack.error.code, `${event}: ${JSON.stringify(ack)}`).not.toBe('INTERNAL');
      expect(acks.some((a) => a.ok), `${event}: ${JSON.stringify(acks[0])}`).toBe(true);
      return acks;
    };

    // A poll: opened ten times, voted ten times by one fan, closed ten times.
    const created = await request('post', `/api/rooms/${room.id}/polls`, admin.bearer, JSON.stringify({ question: 'Again?', options: ['yes', 'no'], durationMs: 60_000 }));
    expect(created.status).toBe(201);
    const pollId = created.body.poll.id;
    await tenTimes('post', `/api/polls/${pollId}/open`, admin);
    const socket = await connectSocket(app.url, { token: fan.token });
    sockets.push(socket);
    await emitAck(socket, 'room:join', { roomId: room.id });
    const votes = await tenAcks(socket, 'poll:vote', { pollId, optionIds: ['o1'] });
    expect(votes.filter((a) => a.ok)).toHaveLength(1);
    await tenTimes('post', `/api/polls/${pollId}/close`, admin);
    const final = await request('get', `/api/polls/${pollId}`, admin.bearer, undefined);
    expect(final.body.total).toBe(1);

    // A comment liked and reported ten times at once by one fan: counted once each.
    const author = await connectSocket(app.url, { token: (await createAccount(app)).token });
    sockets.push(author);
    const sent = (await emitAck(author, 'danmaku:send', { roomId: room.id, text: 'like me' })) as any;
    expect(sent.ok, JSON.stringify(sent)).toBe(true);
    const likes = await tenAcks(socket, 'danmaku:like', { id: sent.danmaku.id });
    expect(Math.max(...likes.filter((a) => a.ok).map((a) => a.likes))).toBe(1);
    await tenAcks(socket, 'danmaku:report', { id: sent.danmaku.id, reason: 'spam' });

    // A mute, appealed ten times at once, the appeal decided ten times at once.
    const action = await tenTimes('post', '/api/moderation/actions', admin, { targetType: 'user', targetId: fan.user.id, action: 'mute', reason: 'double submit check', durationMs: 60_000 });
    const appeal = await tenTimes('post', '/api/appeals', fan, { actionId: action.action.id, text: 'it was not me' });
    await tenTimes('post', `/api/moderation/appeals/${appeal.appeal.id}/decision`, admin, { decision: 'reverse', reply: 'fair enough' });
  });

  it('nothing along the way was an internal error', async () => {
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    const internal = metrics.split('\n').filter((l) => /^lotus_(http_requests|socket_events)_total\{/.test(l) && (/status="5xx"/.test(l) || /outcome="INTERNAL"/.test(l)));
    expect(internal).toEqual([]);
    // The counters exist, so an empty list means none, not a missing metric.
    expect(metrics).toMatch(/^lotus_socket_events_total\{event="danmaku:send",outcome="VALIDATION_FAILED"\} \d+/m);
    expect(metrics).toMatch(/^lotus_http_requests_total\{[^}]*status="4xx"[^}]*\} \d+/m);
  });
});
