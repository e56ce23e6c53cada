import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { reports } from '../../db/schema.js';

export type ReportTarget = 'danmaku' | 'proposal' | 'user';

/** Reports from any account; one per reporter and target, so one person cannot hide a comment alone. */
export function createReports(db: Db) {
  return {
    /** Files a report; returns whether it was new and how many distinct accounts have open reports on the target. */
    async file(r: { targetType: ReportTarget; targetId: string; roomId: string | null; reporterId: string; reason: string }) {
      const inserted = await db
        .insert(reports)
        .values({ id: randomUUID(), ...r })
        .onConflictDoNothing()
        .returning({ id: reports.id });
      const [{ n }] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(reports)
        .where(and(eq(reports.targetType, r.targetType), eq(reports.targetId, r.targetId), eq(reports.status, 'open')));
      return { created: inserted.length === 1, openReporters: n };
    },

    /** Closes the open reports on a target once staff have acted on it. */
    async resolve(targetType: ReportTarget, targetId: string, status: 'resolved' | 'dismissed'): Promise<number> {
      const rows = await db
        .update(reports)
        .set({ status })
        .where(and(eq(reports.targetType, targetType), eq(reports.targetId, targetId), eq(reports.status, 'open')))
        .returning({ id: reports.id });
      return rows.length;
    },
  };
}

export type Reports = ReturnType<typeof createReports>;
