import { randomUUID } from 'node:crypto';
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
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

/**
 * Mutes, bans and shadow mutes in Postgres, read on every write a user makes, so a
 * sanction applies on every server process at the next message. Expired ones simply
 * stop matching: nothing has to run for a mute to end.
 */
export function createSanctions(db: Db, now: () => number) {
  return {
    async impose(s: { userId: string; kind: SanctionKind; roomId: string | null; durationMs: number | null; createdBy: string | null; reason: string }) {
      const id = randomUUID();
      const expiresAt = s.durationMs === null ? null : new Date(now() + s.durationMs);
      await db.insert(sanctions).values({ id, userId: s.userId, kind: s.kind, roomId: s.roomId, expiresAt, createdBy: s.createdBy, reason: s.reason });
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
      return rows.length;
    },

    /** What stops this user from writing in this room right now (global sanctions count everywhere). */
    async active(userId: string, roomId: string | null): Promise<ActiveSanctions> {
      const at = new Date(now());
      const rows = await db
        .select({ kind: sanctions.kind, expiresAt: sanctions.expiresAt })
        .from(sanctions)
        .where(
          and(
            eq(sanctions.userId, userId),
            isNull(sanctions.revokedAt),
            or(isNull(sanctions.expiresAt), gt(sanctions.expiresAt, at)),
            roomId === null ? isNull(sanctions.roomId) : or(isNull(sanctions.roomId), eq(sanctions.roomId, roomId)),
          ),
        );
      if (rows.length === 0) return NONE;
      const ends = (kind: SanctionKind) => rows.filter((r) => r.kind === kind).map((r) => r.expiresAt?.getTime() ?? Infinity);
      const blocking = [...ends('ban'), ...ends('mute')];
      const latest = blocking.length ? Math.max(...blocking) : null;
      return {
        banned: ends('ban').length > 0,
        muted: ends('mute').length > 0,
        shadowMuted: ends('shadow_mute').length > 0,
        until: latest === null || latest === Infinity ? null : latest,
      };
    },

    async history(userId: string) {
      return db.select().from(sanctions).where(eq(sanctions.userId, userId)).orderBy(sql`${sanctions.createdAt} desc`).limit(100);
    },
  };
}

export type Sanctions = ReturnType<typeof createSanctions>;
