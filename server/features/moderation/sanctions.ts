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

/** What the cache keeps of one user's sanctions: every active one, in any room. */
interface UserSanctions {
  rows: Array<{ kind: SanctionKind; roomId: string | null; expiresAt: number | null }>;
  /** When this reading must be taken again: the TTL, or the first expiry among the rows. */
  validUntil: number;
}

/** Folds a user's active sanctions into what stops them in one room (global ones count everywhere). */
function standingIn(user: UserSanctions, roomId: string | null, at: number): ActiveSanctions {
  const rows = user.rows.filter((r) => (r.expiresAt === null || r.expiresAt > at) && (r.roomId === null || r.roomId === roomId));
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

export interface SanctionsOptions {
  /** How long a process trusts its reading of a user's sanctions without being told of a change (60 s). */
  cacheTtlMs?: number;
  /** Users whose reading a process keeps (100,000; the oldest go first). */
  cacheMax?: number;
}

/**
 * Mutes, bans and shadow mutes in Postgres. Every write a user makes checks them, so
 * each process keeps its reading of a user's sanctions (most users have none) instead
 * of asking Postgres for every danmaku. A change made through `impose` or `lift` drops
 * that reading here and, through the `changed` hooks, on every other process before
 * the action answers (lotus.ts wires them to the Socket.IO adapter), so a sanction still
 * applies at the next message everywhere. A reading expires at the first sanction's end
 * (nothing has to run for a mute to end) and after `cacheTtlMs` at the latest, which
 * bounds how long a change made outside Lotus takes to show.
 */
export function createSanctions(db: Db, now: () => number, options: SanctionsOptions = {}) {
  const ttlMs = options.cacheTtlMs ?? 60_000;
  const max = options.cacheMax ?? 100_000;
  const cache = new Map<string, UserSanctions>();
  /** Bumped by every change heard of: a reading that started before one is not kept. */
  let generation = 0;
  const changed: Array<(userId: string) => Promise<void>> = [];

  async function read(userId: string): Promise<UserSanctions> {
    const hit = cache.get(userId);
    const at = now();
    if (hit && hit.validUntil > at) return hit;
    const started = generation;
    const rows = await db
      .select({ kind: sanctions.kind, roomId: sanctions.roomId, expiresAt: sanctions.expiresAt })
      .from(sanctions)
      .where(and(eq(sanctions.userId, userId), isNull(sanctions.revokedAt), or(isNull(sanctions.expiresAt), gt(sanctions.expiresAt, new Date(at)))));
    const user: UserSanctions = {
      rows: rows.map((r) => ({ kind: r.kind as SanctionKind, roomId: r.roomId, expiresAt: r.expiresAt?.getTime() ?? null })),
      validUntil: Math.min(at + ttlMs, ...rows.map((r) => r.expiresAt?.getTime() ?? Infinity)),
    };
    if (started === generation) {
      cache.delete(userId);
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
      cache.set(userId, user);
    }
    return user;
  }

  async function afterChange(userId: string) {
    forget(userId);
    for (const hook of changed) await hook(userId);
  }

  /** Drops this process's reading of a user's sanctions (a change made on another process). */
  function forget(userId: string) {
    generation++;
    cache.delete(userId);
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
