import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount } from '../support/accounts.js';
import { connectSocket, emitAck, type ClientSocket } from '../support/sockets.js';
import { createRoom } from '../support/rooms.js';
import { eventually, startTestWorkers } from '../support/workers.js';
import { createDisplayCap } from '../../server/features/danmaku/display-cap.js';
import type { Danmaku } from '../../contracts/danmaku.js';
import type { WorkerRuntime } from '../../workers/runtime.js';

const comment = (i: number, staff = false): Danmaku => ({
  id: `id-${i}`,
  roomId: 'room',
  userId: staff ? 'mod' : `fan-${i}`,
  userName: staff ? 'mod' : `fan ${i}`,
  text: `${staff ? 'staff' : 'fan'} ${i}`,
  mode: 'scroll',
  color: '#ffffff',
  offsetMs: i,
  createdAt: new Date(0).toISOString(),
  ...(staff ? { staff: true } : {}),
});

describe('display cap (the sampling itself)', () => {
  it('lets a quiet tick through whole and spends its tokens', () => {
    let t = 0;
    const cap = createDisplayCap(10, () => t);
    const items = [1, 2, 3].map((i) => comment(i));
    expect(cap.take(items)).toEqual(items);
    expect(cap.take(Array.from({ length: 10 }, (_, i) => comment(i)))).toHaveLength(7);
    t = 500; // half a second refills half the bucket
    expect(cap.take(Array.from({ length: 10 }, (_, i) => comment(i)))).toHaveLength(5);
  });

  it('samples a busy tick evenly, in stream order, with every staff comment kept', () => {
    const cap = createDisplayCap(10, () => 0);
    const items = Array.from({ length: 100 }, (_, i) => comment(i, i === 97 || i === 98));
    const out = cap.take(items);
    expect(out).toHaveLength(10);
    expect(out.filter((d) => d.staff).map((d) => d.id)).toEqual(['id-97', 'id-98']);
    const fans = out.filter((d) => !d.staff).map((d) => Number(d.id.slice(3)));
    expect(fans).toEqual([...fans].sort((a, b) => a - b));
    expect(fans[0]).toBe(0);
    expect(fans.at(-1)).toBeGreaterThanOrEqual(80); // spread over the tick, not the first ten
    expect(out.map((d) => d.offsetMs)).toEqual([...out.map((d) => d.offsetMs)].sort((a, b) => a - b));
  });

  it('still sends staff comments when the bucket is empty, and fans wait for the overdraft', () => {
    let t = 0;
    const cap = createDisplayCap(4, () => t);
    expect(cap.take(Array.from({ length: 8 }, (_, i) => comment(i)))).toHaveLength(4);
    const out = cap.take([comment(20), comment(21, true), comment(22), comment(23, true)]);
    expect(out.map((d) => d.id)).toEqual(['id-21', 'id-23']);
    t = 500; // two tokens back, two owed: no fan yet
    expect(cap.take([comment(30), comment(31)])).toEqual([]);
    t = 1_500;
    expect(cap.take([comment(40), comment(41)])).toHaveLength(2);
  });
});

describe('display cap in a room', () => {
  let app: TestApp;
  let workers: WorkerRuntime;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    app = await startTestApp({ env: { DANMAKU_USER_INTERVAL_MS: '0', DANMAKU_DISPLAY_CAP_PER_S: '5', DANMAKU_PER_IP_PER_10S: '1000' } });
    workers = await startTestWorkers(app);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await workers?.close();
    await app?.stop();
  });

  it('viewers of a busy room get at most the cap a second, every staff comment and stream order; the sender has each of its own; all are stored', { timeout: 60_000 }, async () => {
    const mod = await createAccount(app, 'moderator');
    const room = await createRoom(app, mod, { agoMs: 10_000 });
    const fan = await createAccount(app);
    const fanSocket = await connectSocket(app.url, { token: fan.token });
    const modSocket = await connectSocket(app.url, { token: mod.token });
    const viewer = await connectSocket(app.url);
    sockets.push(fanSocket, modSocket, viewer);
    for (const s of [fanSocket, modSocket, viewer]) await emitAck(s, 'room:join', { roomId: room.id });

    const frames: Array<{ at: number; items: Danmaku[] }> = [];
    viewer.on('danmaku:batch', (b: { items: Danmaku[] }) => frames.push({ at: Date.now(), items: b.items }));

    const started = Date.now();
    const wave1 = await Promise.all(Array.from({ length: 30 }, (_, i) => emitAck(fanSocket, 'danmaku:send', { roomId: room.id, text: `burst ${i}` })));
    await eventually(async () => frames.length > 0); // the room's second is spent
    // More fans and two staff comments while the bucket is empty: the staff still go out.
    const wave2 = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => emitAck(fanSocket, 'danmaku:send', { roomId: room.id, text: `burst ${30 + i}` })),
      emitAck(modSocket, 'danmaku:send', { roomId: room.id, text: 'official: next scene' }),
      emitAck(modSocket, 'danmaku:send', { roomId: room.id, text: 'official: poll open' }),
    ]);
    const fanAcks = [...wave1, ...wave2.slice(0, 10)];
    const acks = [...wave1, ...wave2];
    for (const ack of acks) expect(ack.ok, JSON.stringify(ack)).toBe(true);
    // The sender always has its own comment: in its ack, whether or not the cap shows it to others.
    expect(fanAcks.map((a) => a.danmaku.text)).toEqual(Array.from({ length: 40 }, (_, i) => `burst ${i}`));

    await eventually(async () => frames.some((f) => f.items.some((d) => d.text === 'official: poll open')));
    await new Promise((r) => setTimeout(r, 300)); // any frame still due
    const received = frames.flatMap((f) => f.items);
    const elapsedS = (frames.at(-1)!.at - started) / 1000;

    expect(received.filter((d) => d.staff).map((d) => d.text)).toEqual(['official: next scene', 'official: poll open']);
    const fans = received.filter((d) => !d.staff);
    expect(fans.length).toBeGreaterThan(0);
    // A burst of one second's worth, then five a second.
    expect(fans.length).toBeLessThanOrEqual(5 + Math.ceil(5 * elapsedS));
    expect(fans.length).toBeLessThan(40);
    // In the order the stream accepted them (each ack carries its stream id).
    const seqOf = new Map(acks.map((a) => [a.danmaku.id, a.seq as string]));
    const order = received.map((d) => seqOf.get(d.id)!);
    const bySeq = (a: string, b: string) => {
      const [am, as] = a.split('-').map(Number);
      const [bm, bs] = b.split('-').map(Number);
      return am - bm || as - bs;
    };
    expect(order).toEqual([...order].sort(bySeq));

    // Everything accepted is stored and in the replay.
    const stored = await eventually(async () => {
      const res = await app.http.get(`/api/rooms/${room.id}/danmaku?limit=100`);
      return res.body.items?.length === 42 ? res.body.items : null;
    });
    expect(new Set(stored.map((d: Danmaku) => d.id))).toEqual(new Set(acks.map((a) => a.danmaku.id)));
  });
});
