import { and, asc, desc, eq, gt, gte, inArray, lt, or, sql } from 'drizzle-orm';
import type { Danmaku } from '../../../contracts/danmaku.js';
import type { Db } from '../../db/database.js';
import { transaction } from '../../db/transaction.js';
import { danmaku, danmakuLikes } from '../../db/schema.js';
import type { DanmakuState } from './stream.js';

type Row = typeof danmaku.$inferSelect;

export function toDanmaku(r: Row): Danmaku {
  const d: Danmaku = {
    id: r.id,
    roomId: r.roomId,
    userId: r.userId,
    userName: r.userName,
    text: r.text,
    mode: r.mode,
    color: r.color,
    offsetMs: r.offsetMs,
    createdAt: r.createdAt.toISOString(),
  };
  if (r.staff) d.staff = true;
  return d;
}

export interface PersistItem {
  danmaku: Danmaku;
  state: DanmakuState;
  reasons: string[];
}

/** SQL for danmaku: batch writes from the workers, replay windows, density, states and likes. */
export function createDanmakuStore(db: Db) {
  return {
    /**
     * Inserts a batch; ids already stored are skipped, so a batch may be written twice safely.
     * `afterInsert` runs in the same transaction with only the newly stored items, so what
     * it writes (the audit of automatic holds) exists exactly once per comment.
     */
    async insertBatch(items: PersistItem[], afterInsert?: (tx: Db, inserted: PersistItem[]) => Promise<void>): Promise<number> {
      if (!items.length) return 0;
      const rows = items.map(({ danmaku: d, state, reasons }) => ({
        id: d.id,
        roomId: d.roomId,
        userId: d.userId,
        userName: d.userName,
        text: d.text,
        mode: d.mode,
        color: d.color,
        offsetMs: d.offsetMs,
        state,
        staff: Boolean(d.staff),
        reasons,
        createdAt: new Date(d.createdAt),
      }));
      const insert = (writer: Db) => writer.insert(danmaku).values(rows).onConflictDoNothing({ target: danmaku.id }).returning({ id: danmaku.id });
      if (!afterInsert) return (await insert(db)).length;
      return transaction(db, async (tx) => {
        const inserted = new Set((await insert(tx)).map((r) => r.id));
        await afterInsert(tx, items.filter((i) => inserted.has(i.danmaku.id)));
        return inserted.size;
      });
    },

    /** Visible danmaku of a room in [fromMs, toMs), ordered by offset then id, after the cursor. */
    async window(roomId: string, q: { fromMs: number; toMs: number; limit: number; after?: { offsetMs: number; id: string } }): Promise<Danmaku[]> {
      const after = q.after
        ? or(gt(danmaku.offsetMs, q.after.offsetMs), and(eq(danmaku.offsetMs, q.after.offsetMs), gt(danmaku.id, q.after.id)))
        : undefined;
      const rows = await db
        .select()
        .from(danmaku)
        .where(and(eq(danmaku.roomId, roomId), eq(danmaku.state, 'visible'), gte(danmaku.offsetMs, q.fromMs), lt(danmaku.offsetMs, q.toMs), after))
        .orderBy(asc(danmaku.offsetMs), asc(danmaku.id))
        .limit(q.limit);
      return rows.map(toDanmaku);
    },

    /** Visible danmaku counts per bucket of media time. */
    async density(roomId: string, bucketMs: number): Promise<Array<{ bucket: number; count: number }>> {
      // An integer validated by the route; inlined so SELECT and GROUP BY are the same expression.
      const bucket = sql<number>`(${danmaku.offsetMs} / ${sql.raw(String(Math.trunc(bucketMs)))})::int`;
      const rows = await db
        .select({ bucket, count: sql<number>`count(*)::int` })
        .from(danmaku)
        .where(and(eq(danmaku.roomId, roomId), eq(danmaku.state, 'visible')))
        .groupBy(bucket);
      return rows;
    },

    /** An author's comments held for review in a room, newest first. */
    async heldBy(roomId: string, userId: string): Promise<Danmaku[]> {
      const rows = await db
        .select()
        .from(danmaku)
        .where(and(eq(danmaku.roomId, roomId), eq(danmaku.userId, userId), eq(danmaku.state, 'held')))
        .orderBy(desc(danmaku.createdAt))
        .limit(20);
      return rows.map((r) => ({ ...toDanmaku(r), held: true }));
    },

    async byId(id: string): Promise<(Danmaku & { state: DanmakuState }) | null> {
      const [r] = await db.select().from(danmaku).where(eq(danmaku.id, id));
      return r ? { ...toDanmaku(r), state: r.state } : null;
    },

    async setState(ids: string[], state: DanmakuState): Promise<number> {
      if (!ids.length) return 0;
      const rows = await db.update(danmaku).set({ state }).where(inArray(danmaku.id, ids)).returning({ id: danmaku.id });
      return rows.length;
    },

    /** Adds a like once per user; returns the like count. */
    async like(danmakuId: string, userId: string): Promise<number> {
      await db.insert(danmakuLikes).values({ danmakuId, userId }).onConflictDoNothing();
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(danmakuLikes).where(eq(danmakuLikes.danmakuId, danmakuId));
      return n;
    },
  };
}

export type DanmakuStore = ReturnType<typeof createDanmakuStore>;
