import { randomUUID } from 'node:crypto';
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
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
    async list(filter: { actorId?: string; targetType?: string; targetId?: string; action?: string; before?: Date; limit: number }) {
      const where: SQL[] = [];
      if (filter.actorId) where.push(eq(auditLog.actorId, filter.actorId));
      if (filter.targetType) where.push(eq(auditLog.targetType, filter.targetType));
      if (filter.targetId) where.push(eq(auditLog.targetId, filter.targetId));
      if (filter.action) where.push(eq(auditLog.action, filter.action));
      if (filter.before) where.push(lt(auditLog.at, filter.before));
      const rows = await db
        .select()
        .from(auditLog)
        .where(where.length ? and(...where) : undefined)
        .orderBy(desc(auditLog.at))
        .limit(filter.limit);
      return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
