import os from 'node:os';
import type { Deps } from '../../server/deps.js';
import type { Redis } from '../../server/redis/redis-client.js';
import { createDanmakuStore, createDanmakuStreams, holdAuditEntries, parseEntry, type PersistItem } from '../../server/features/danmaku/index.js';
import { createAuditLog } from '../../server/features/moderation/index.js';
import type { DanmakuState } from '../../server/features/danmaku/stream.js';
import { isDataError, sqlState } from '../../server/db/sql-state.js';

const GROUP = 'persisters';
const BATCH = 500;
/**
 * After a read that found less than a full batch, wait this long before the next: at
 * 500 danmaku a second the loop otherwise read one or two entries at a time, and a
 * transaction, a state lookup and an ack per handful of comments cost the workers a
 * fifth of a core. The comments are already safe in the stream, so waiting loses
 * nothing; the replay sees them this much later.
 */
const LINGER_MS = 100;
/** A consumer silent this long is presumed dead; its unacknowledged entries are taken over. */
const CLAIM_IDLE_MS = 30_000;

type Entry = { id: string; message: Record<string, string> };

/**
 * Writes accepted danmaku from the Redis persist stream to Postgres in batches. A
 * consumer group gives at-least-once delivery; inserts skip ids already stored, so a
 * batch written twice (after a crash between insert and ack) is harmless. Entries are
 * acknowledged and deleted only after the insert commits: an accepted danmaku is
 * never lost. Comments held automatically get their audit row in the insert's transaction.
 *
 * An entry Postgres refuses as data (say a NUL in the text, from a writer older than the
 * edge's checks) would fail its batch for ever and hold back every comment after it. So
 * a batch refused as data is written again one comment at a time, and the comments
 * refused alone move, with the SQLSTATE, to the refused stream (`dm:persist:refused`)
 * in the same MULTI that acknowledges them: set aside for a person to look at, not lost.
 * An entry that holds no danmaku at all goes there too (reason `unreadable`).
 */
export function createDanmakuPersister(deps: Deps) {
  const streams = createDanmakuStreams({ redis: deps.redis, key: deps.key });
  const store = createDanmakuStore(deps.db.orm);
  const audit = createAuditLog(deps.db.orm);
  const consumer = `${os.hostname()}-${process.pid}`;
  let reader: Redis | null = null;
  let running = false;
  let loop: Promise<void> | null = null;
  let lastWriteAt = 0;

  /** The entry as a row to insert, or null when it holds no danmaku (written by hand, or by another version). */
  const parse = (e: Entry): PersistItem | null => {
    const danmaku = parseEntry(e.message.d);
    if (!danmaku) return null;
    try {
      const reasons: unknown = e.message.reasons ? JSON.parse(e.message.reasons) : [];
      return Array.isArray(reasons) ? { danmaku, state: (e.message.state as DanmakuState) ?? 'visible', reasons } : null;
    } catch {
      return null;
    }
  };

  async function write(entries: Entry[]) {
    if (!entries.length) return;
    const parsed: Array<{ entry: Entry; item: PersistItem }> = [];
    const unreadable: Entry[] = [];
    for (const e of entries) {
      const item = parse(e);
      if (item) parsed.push({ entry: e, item });
      else unreadable.push(e);
    }
    const { items, refused } = await insert(parsed);
    // States changed after sending (hidden, approved) may have landed before the row existed.
    const ids = items.map((i) => i.danmaku.id);
    const states = await streams.statesOf(ids);
    const changed = new Map<DanmakuState, string[]>();
    states.forEach((s, i) => s && s !== items[i].state && changed.set(s, [...(changed.get(s) ?? []), ids[i]]));
    for (const [state, list] of changed) await store.setState(list, state);
    const done = entries.map((e) => e.id);
    const ack = deps.redis.multi();
    for (const e of unreadable) ack.xAdd(streams.refusedKey, '*', { ...e.message, entry: e.id, reason: 'unreadable' });
    for (const r of refused) ack.xAdd(streams.refusedKey, '*', { ...r.entry.message, entry: r.entry.id, reason: 'postgres', sqlstate: r.sqlstate });
    await ack.xAck(streams.persistKey, GROUP, done).xDel(streams.persistKey, done).exec();
    if (unreadable.length) deps.log.error({ entries: unreadable.map((e) => e.id), stream: streams.refusedKey }, 'unreadable danmaku stream entries set aside in the refused stream');
    if (refused.length) {
      deps.log.error(
        { ids: refused.map((r) => r.item.danmaku.id), sqlstates: [...new Set(refused.map((r) => r.sqlstate))], stream: streams.refusedKey },
        'Postgres refused danmaku as data; set aside in the refused stream',
      );
    }
    lastWriteAt = Date.now();
  }

  /** Inserts the batch; when Postgres refuses it as data, one comment at a time, returning the ones it refused alone. */
  async function insert(parsed: Array<{ entry: Entry; item: PersistItem }>) {
    // Automatic holds are audited in the insert's transaction: once per comment, however often a batch is retried.
    const insertBatch = (items: PersistItem[]) => store.insertBatch(items, (tx, inserted) => audit.recordAll(holdAuditEntries(inserted), tx));
    const all = parsed.map((p) => p.item);
    try {
      await insertBatch(all);
      return { items: all, refused: [] };
    } catch (err) {
      if (!isDataError(err)) throw err;
    }
    const items: PersistItem[] = [];
    const refused: Array<{ entry: Entry; item: PersistItem; sqlstate: string }> = [];
    for (const p of parsed) {
      try {
        await insertBatch([p.item]);
        items.push(p.item);
      } catch (err) {
        if (!isDataError(err)) throw err; // Postgres went away: the whole batch is read again
        refused.push({ ...p, sqlstate: sqlState(err)! });
      }
    }
    return { items, refused };
  }

  async function ensureGroup() {
    try {
      await deps.redis.xGroupCreate(streams.persistKey, GROUP, '0', { MKSTREAM: true });
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
  }

  async function claimAbandoned() {
    const res = await deps.redis.xAutoClaim(streams.persistKey, GROUP, consumer, CLAIM_IDLE_MS, '0-0', { COUNT: BATCH });
    await write(res.messages.filter(Boolean) as Entry[]);
  }

  async function run() {
    let pendingFirst = true; // after a start or an error, our own unacknowledged entries come first
    let backoff = 100;
    let lastClaim = 0;
    while (running) {
      try {
        if (Date.now() - lastClaim > CLAIM_IDLE_MS) {
          lastClaim = Date.now();
          await claimAbandoned();
        }
        const res = await reader!.xReadGroup(GROUP, consumer, { key: streams.persistKey, id: pendingFirst ? '0' : '>' }, { COUNT: BATCH, BLOCK: 1_000 });
        const entries = ((res as Array<{ messages: Entry[] }> | null)?.[0]?.messages ?? []).filter(Boolean);
        if (pendingFirst && entries.length === 0) pendingFirst = false;
        await write(entries);
        backoff = 100;
        if (entries.length > 0 && entries.length < BATCH) await new Promise((r) => setTimeout(r, LINGER_MS));
      } catch (err) {
        if (!running) break;
        pendingFirst = true;
        deps.log.warn({ err: (err as Error).message }, 'danmaku persist failed; will retry');
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }

  return {
    name: 'danmaku-persister',
    async start() {
      await ensureGroup();
      reader = deps.redis.duplicate();
      reader.on('error', (err: Error) => deps.log.warn({ err: err.message }, 'persister redis error'));
      await reader.connect();
      running = true;
      loop = run();
    },
    isRunning: () => running,
    lastWriteAt: () => lastWriteAt,
    async stop() {
      running = false;
      reader?.destroy();
      await loop;
    },
  };
}

export type StreamConsumer = ReturnType<typeof createDanmakuPersister>;
