import { randomUUID } from 'node:crypto';
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import { ErrorCode } from '../../../contracts/errors.js';
import { AppError } from '../../errors.js';
import type { Db } from '../../db/database.js';
import { sanctions } from '../../db/schema.js';

export type SanctionKind = 'mute' | 'ban' | 'shadow_mute';

export interface ActiveSanctions {
  banned: boolean;
  muted: boolean;
  shadowMuted: boolean;
  /** When the strongest blocking sanction ends (ms), or null for permanent. */
  until: number | null;
}

const NONE: ActiveSanctions = { banned: false, muted: false, shadowMuted: false, until: null };

type SanctionRow = { kind: SanctionKind; roomId: string | null; expiresAt: number | null };

/** Folds a user's active sanctions into what stops them in one room (global ones count everywhere). */
function standingIn(userRows: SanctionRow[], roomId: string | null, at: number): ActiveSanctions {
  const rows = userRows.filter((r) => (r.expiresAt === null || r.expiresAt > at) && (r.roomId === null || r.roomId === roomId));
  if (rows.length === 0) return NONE;
  const ends = (kind: SanctionKind) => rows.filter((r) => r.kind === kind).map((r) => r.expiresAt ?? Infinity);
  const blocking = [...ends('ban'), ...ends('mute')];
  const latest = blocking.length ? Math.max(...blocking) : null;
  return {
    banned: ends('ban').length > 0,
    muted: ends('mute').length > 0,
    shadowMuted: ends('shadow_mute').length > 0,
    until: latest === null || latest === Infinity ? null : latest,
  };
}

/** How often a process reads every active sanction again without being told of a change. */
const RELOAD_MS = 60_000;

/**
 * Mutes, bans and shadow mutes in Postgres. Every write a user makes checks them, so
 * each process keeps every active sanction in memory (they are few; most users have
 * none) instead of asking Postgres for every danmaku or vote: one query at start and
 * one a minute. A change made through `impose` or `lift` marks that user here and,
 * through the `changed` hooks, on every other process before the action answers
 * (lotus.ts wires them to the Socket.IO adapter); a marked user's sanctions are read
 * again at their next message, so a sanction applies at the next message everywhere.
 * Expired sanctions stop counting by themselves; the minute bounds how long a change
 * made outside Lotus takes to show.
 */
export function createSanctions(db: Db, now: () => number) {
  type Snapshot = { byUser: Map<string, SanctionRow[]>; at: number };
  let snapshot: Snapshot | null = null;
  let loading: Promise<Snapshot> | null = null;
  /** Users changed since the snapshot was read: their rows are read again before use. */
  const marked = new Set<string>();
  /** Bumped by every change heard of: a reading that started before one does not clear marks. */
  let generation = 0;
  const changed: Array<(userId: string) => Promise<void>> = [];

  const active = (at: number) => and(isNull(sanctions.revokedAt), or(isNull(sanctions.expiresAt), gt(sanctions.expiresAt, new Date(at))));
  const columns = { userId: sanctions.userId, kind: sanctions.kind, roomId: sanctions.roomId, expiresAt: sanctions.expiresAt };
  const toRow = (r: { kind: string; roomId: string | null; expiresAt: Date | null }): SanctionRow => ({ kind: r.kind as SanctionKind, roomId: r.roomId, expiresAt: r.expiresAt?.getTime() ?? null });

  function current(): Promise<Snapshot> {
    if (snapshot && now() - snapshot.at < RELOAD_MS) return Promise.resolve(snapshot);
    loading ??= (async (): Promise<Snapshot> => {
      const started = generation;
      const at = now();
      const rows = await db.select(columns).from(sanctions).where(active(at));
      const byUser = new Map<string, SanctionRow[]>();
      for (const r of rows) byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), toRow(r)]);
      const next: Snapshot = { byUser, at };
      snapshot = next;
      // Marks made while this read ran stay: it may have missed those changes.
      if (started === generation) marked.clear();
      return next;
    })().finally(() => (loading = null));
    // While Postgres is away the last reading stays in force rather than refusing every message.
    const last = snapshot;
    return last ? loading.catch(() => last) : loading;
  }

  async function read(userId: string): Promise<SanctionRow[]> {
    const snap = await current();
    if (!marked.has(userId)) return snap.byUser.get(userId) ?? [];
    const started = generation;
    const rows = (await db.select(columns).from(sanctions).where(and(eq(sanctions.userId, userId), active(now())))).map(toRow);
    if (started === generation) {
      marked.delete(userId);
      if (rows.length) snap.byUser.set(userId, rows);
      else snap.byUser.delete(userId);
    }
    return rows;
  }

  async function afterChange(userId: string) {
    forget(userId);
    for (const hook of changed) await hook(userId);
  }

  /** Marks a user whose sanctions changed (here or on another process): read them again at their next message. */
  function forget(userId: string) {
    generation++;
    marked.add(userId);
  }

  return {
    /** Hooks run after every change, before it answers: tell the other processes. */
    changed,
    forget,

    async impose(s: { userId: string; kind: SanctionKind; roomId: string | null; durationMs: number | null; createdBy: string | null; reason: string }) {
      const id = randomUUID();
      const expiresAt = s.durationMs === null ? null : new Date(now() + s.durationMs);
      await db.insert(sanctions).values({ id, userId: s.userId, kind: s.kind, roomId: s.roomId, expiresAt, createdBy: s.createdBy, reason: s.reason });
      await afterChange(s.userId);
      return { id, expiresAt: expiresAt?.toISOString() ?? null };
    },

    /** Lifts every active sanction of these kinds for the user in this scope; returns how many. */
    async lift(userId: string, kinds: SanctionKind[], roomId: string | null): Promise<number> {
      const scope = roomId === null ? isNull(sanctions.roomId) : eq(sanctions.roomId, roomId);
      const rows = await db
        .update(sanctions)
        .set({ revokedAt: new Date(now()) })
        .where(and(eq(sanctions.userId, userId), isNull(sanctions.revokedAt), scope, sql`${sanctions.kind} in ${kinds}`))
        .returning({ id: sanctions.id });
      if (rows.length) await afterChange(userId);
      return rows.length;
    },

    /** What stops this user from writing in this room right now (global sanctions count everywhere). */
    async active(userId: string, roomId: string | null): Promise<ActiveSanctions> {
      return standingIn(await read(userId), roomId, now());
    },

    /**
     * Refuses anything a banned user writes in this scope: a ban everywhere, or one in
     * `roomId` (poll votes, proposals and proposal votes; danmaku check mutes as well).
     */
    async assertNotBanned(userId: string, roomId: string | null): Promise<void> {
      const standing = standingIn(await read(userId), roomId, now());
      if (standing.banned) throw new AppError(ErrorCode.BANNED, roomId ? 'you are banned here' : 'you are banned', { until: standing.until });
    },

    async history(userId: string) {
      return db.select().from(sanctions).where(eq(sanctions.userId, userId)).orderBy(sql`${sanctions.createdAt} desc`).limit(100);
    },
  };
}

export type Sanctions = ReturnType<typeof createSanctions>;
