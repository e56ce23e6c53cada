import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount } from '../support/accounts.js';
import { connectSocket, emitAck, type ClientSocket } from '../support/sockets.js';
import { createRoom } from '../support/rooms.js';
import { eventually, startTestWorkers } from '../support/workers.js';
import type { WorkerRuntime } from '../../workers/runtime.js';

/**
 * A persist-stream entry that Postgres refuses as data (here a NUL in the text, which the
 * edge now refuses but a writer of an older version could have appended) must not hold
 * back the comments around it: they are stored, and it is set aside, whole, in the
 * refused stream with its SQLSTATE.
 */
describe('the persister and entries it cannot store', () => {
  let app: TestApp;
  let workers: WorkerRuntime | null = null;
  let socket: ClientSocket;

  beforeAll(async () => {
    app = await startTestApp({ env: { DANMAKU_USER_INTERVAL_MS: '0' } });
  });
  afterAll(async () => {
    socket?.close();
    await workers?.close();
    await app?.stop();
  });

  it('stores the comments around them and sets them aside, with the SQLSTATE when Postgres refused one', async () => {
    const mod = await createAccount(app, 'moderator');
    const fan = await createAccount(app);
    const room = await createRoom(app, mod);
    socket = await connectSocket(app.url, { token: fan.token });
    await emitAck(socket, 'room:join', { roomId: room.id });
    const send = async (text: string) => {
      const ack = await emitAck(socket, 'danmaku:send', { roomId: room.id, text });
      expect(ack.ok, JSON.stringify(ack)).toBe(true);
      return ack.danmaku as { id: string };
    };

    // With no worker running, everything lands in one batch: two good, the bad ones, two good.
    const before = [await send('before one'), await send('before two')];
    const persistKey = app.deps.key('dm', 'persist');
    const first = await app.deps.redis.xRange(persistKey, '-', '+', { COUNT: 1 });
    const shape = JSON.parse(first[0].message.d);
    const poison = { ...shape, id: randomUUID(), text: 'nul \u0000 inside' };
    const poisonEntry = await app.deps.redis.xAdd(persistKey, '*', { d: JSON.stringify(poison), state: 'visible', reasons: '[]' });
    // Entries that hold no danmaku at all: not JSON, JSON null (which used to fail every retry with a TypeError), bad reasons.
    const unreadable = [
      await app.deps.redis.xAdd(persistKey, '*', { d: '{not json' }),
      await app.deps.redis.xAdd(persistKey, '*', { d: 'null', state: 'visible' }),
      await app.deps.redis.xAdd(persistKey, '*', { d: JSON.stringify({ ...shape, id: randomUUID() }), reasons: '{broken' }),
    ];
    const after = [await send('after one'), await send('after two')];

    // Operators see the backlog before any worker runs.
    const gauges = async () => {
      const text = await (await fetch(`${app.url}/metrics`)).text();
      const read = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
      return { backlog: read('lotus_danmaku_persist_backlog'), refused: read('lotus_danmaku_persist_refused') };
    };
    expect(await gauges()).toEqual({ backlog: 8, refused: 0 });

    workers = await startTestWorkers(app);
    const good = [...before, ...after].map((d) => d.id);
    const stored = await eventually(async () => {
      const { rows } = await app.deps.db.pool.query<{ id: string }>('select id from danmaku where id = any($1::uuid[])', [good]);
      return rows.length === good.length && rows;
    });
    expect(stored.map((r) => r.id).sort()).toEqual([...good].sort());

    // The refused entries: not in Postgres, kept whole in the refused stream, gone from the persist stream.
    const refusedKey = app.deps.key('dm', 'persist', 'refused');
    const refused = await eventually(async () => {
      const list = await app.deps.redis.xRange(refusedKey, '-', '+');
      return list.length >= 4 && list;
    });
    expect(refused).toHaveLength(4);
    const byEntry = new Map(refused.map((r) => [r.message.entry, r.message]));
    expect(byEntry.get(poisonEntry)).toEqual(expect.objectContaining({ reason: 'postgres', sqlstate: expect.stringMatching(/^22/) }));
    expect(JSON.parse(byEntry.get(poisonEntry)!.d)).toEqual(poison);
    for (const id of unreadable) expect(byEntry.get(id)).toEqual(expect.objectContaining({ reason: 'unreadable' }));
    expect(byEntry.get(unreadable[0])!.d).toBe('{not json');
    const { rows } = await app.deps.db.pool.query('select 1 from danmaku where id = $1', [poison.id]);
    expect(rows).toHaveLength(0);
    await eventually(async () => (await app.deps.redis.xLen(persistKey)) === 0);

    expect(await gauges()).toEqual({ backlog: 0, refused: 4 });

    // And the persister goes on: the next comment is stored as usual.
    const next = await send('next one');
    await eventually(async () => (await app.deps.db.pool.query('select 1 from danmaku where id = $1', [next.id])).rows.length === 1);
  });
});
