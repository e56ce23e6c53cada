import { randomUUID } from 'node:crypto';
import { and, desc, eq, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { auditLog } from '../../db/schema.js';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  roomId?: string | null;
  reason: string;
  details?: Record<string, unknown>;
  /** When it happened, if not now: an automatic hold is recorded when its comment is stored, dated when it was sent. */
  at?: Date;
}

/** Anything that can insert: the pool, or a transaction an entry must share with the change it records. */
export type AuditWriter = Pick<Db, 'insert'>;

/** `actorId` filter value for actions Lotus took by itself (the rows' actor is null). */
export const AUTOMOD_ACTOR = 'automod';

/** Where the next page starts: the (at, id) of the last entry shown, `at` to the microsecond. */
export interface AuditCursor {
  at: string;
  id: string;
}

export interface AuditFilter {
  /** An account id, or `automod` for automatic actions. */
  actorId?: string;
  targetType?: string;
  targetId?: string;
  action?: string;
  /** Only entries strictly older than this instant. */
  before?: Date;
  /** Only entries after this one in the newest-first order. */
  after?: AuditCursor;
  limit: number;
}

/**
 * The append-only audit log. Rows are only ever inserted; a database trigger refuses
 * UPDATE and DELETE, so not even a bug in Lotus can rewrite history.
 */
export function createAuditLog(db: Db) {
  return {
    async record(entry: AuditEntry): Promise<string> {
      const id = randomUUID();
      await db.insert(auditLog).values({ id, ...entry, roomId: entry.roomId ?? null, details: entry.details ?? {} });
      return id;
    },

    /** Records several entries through `writer`, so they commit or roll back with the writer's transaction. */
    async recordAll(entries: AuditEntry[], writer: AuditWriter = db): Promise<void> {
      if (!entries.length) return;
      await writer.insert(auditLog).values(entries.map((e) => ({ ...e, id: randomUUID(), roomId: e.roomId ?? null, details: e.details ?? {} })));
    },

    /**
     * Newest first, ordered by (at, id): many entries can share a timestamp (a bulk action,
     * one transaction), so the id breaks ties and `next` continues exactly after the last row.
     */
    async list(filter: AuditFilter): Promise<{ entries: Array<Omit<typeof auditLog.$inferSelect, 'at'> & { at: string }>; next: AuditCursor | null }> {
      const where: SQL[] = [];
      if (filter.actorId) where.push(filter.actorId === AUTOMOD_ACTOR ? isNull(auditLog.actorId) : eq(auditLog.actorId, filter.actorId));
      if (filter.targetType) where.push(eq(auditLog.targetType, filter.targetType));
      if (filter.targetId) where.push(eq(auditLog.targetId, filter.targetId));
      if (filter.action) where.push(eq(auditLog.action, filter.action));
      if (filter.before) where.push(lt(auditLog.at, filter.before));
      if (filter.after) where.push(sql`(${auditLog.at}, ${auditLog.id}) < (${filter.after.at}::timestamptz, ${filter.after.id}::uuid)`);
      const rows = await db
        .select({
          entry: auditLog,
          // A JS Date keeps milliseconds only; Postgres keeps microseconds, which the cursor needs.
          exactAt: sql<string>`to_char(${auditLog.at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
        })
        .from(auditLog)
        .where(where.length ? and(...where) : undefined)
        .orderBy(desc(auditLog.at), desc(auditLog.id))
        .limit(filter.limit);
      const last = rows[rows.length - 1];
      return {
        entries: rows.map(({ entry }) => ({ ...entry, at: entry.at.toISOString() })),
        next: rows.length === filter.limit && last ? { at: last.exactAt, id: last.entry.id } : null,
      };
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
