import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { transaction } from '../../db/transaction.js';
import { auditLog, ipSettings, proposalContributors, proposalLshBuckets, proposals, proposalVotes } from '../../db/schema.js';
import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '../../db/sql-state.js';

export type ProposalRow = typeof proposals.$inferSelect;

/** SQL for proposals, their votes and contributors. */
export function createProposalStore(db: Db) {
  return {
    /** Inserts a proposal; with an idempotency key already used by this author, returns the first one instead. */
    async insert(row: typeof proposals.$inferInsert): Promise<{ row: ProposalRow; created: boolean }> {
      try {
        return await transaction(db, async (tx) => {
          const [created] = await tx.insert(proposals).values(row).returning();
          await tx.insert(proposalContributors).values({ proposalId: created.id, userId: row.authorId, userName: row.authorName });
          return { row: created, created: true };
        });
      } catch (err) {
        if (!isUniqueViolation(err) || !row.idempotencyKey) throw err;
        const [first] = await db.select().from(proposals).where(and(eq(proposals.authorId, row.authorId), eq(proposals.idempotencyKey, row.idempotencyKey)));
        return { row: first, created: false };
      }
    },

    async byIdempotencyKey(authorId: string, key: string): Promise<ProposalRow | null> {
      const [row] = await db.select().from(proposals).where(and(eq(proposals.authorId, authorId), eq(proposals.idempotencyKey, key)));
      return row ?? null;
    },

    async byId(id: string): Promise<ProposalRow | null> {
      const [row] = await db.select().from(proposals).where(eq(proposals.id, id));
      return row ?? null;
    },

    async list(where: SQL | undefined, order: SQL[], limit: number): Promise<ProposalRow[]> {
      return db.select().from(proposals).where(where).orderBy(...order).limit(limit);
    },

    /** Sets fields only while the proposal is in one of `from`; null when it was not. */
    async transition(id: string, from: string[], set: Partial<typeof proposals.$inferInsert>): Promise<ProposalRow | null> {
      const [row] = await db
        .update(proposals)
        .set({ ...set, updatedAt: new Date() })
        .where(and(eq(proposals.id, id), sql`${proposals.status} in ${from}`))
        .returning();
      return row ?? null;
    },

    /**
     * A transition and its audit row in one transaction: a job that dies between the
     * two and runs again finds the transition done and writes nothing twice.
     */
    async transitionAudited(
      id: string,
      from: string[],
      set: Partial<typeof proposals.$inferInsert>,
      audit: Omit<typeof auditLog.$inferInsert, 'id' | 'targetType' | 'targetId'>,
      /** LSH buckets of the signature being stored, indexed in the same transaction. */
      buckets?: Array<{ band: number; bucket: number }>,
    ): Promise<ProposalRow | null> {
      return transaction(db, async (tx) => {
        const [row] = await tx
          .update(proposals)
          .set({ ...set, updatedAt: new Date() })
          .where(and(eq(proposals.id, id), sql`${proposals.status} in ${from}`))
          .returning();
        if (!row) return null;
        await tx.insert(auditLog).values({ id: randomUUID(), targetType: 'proposal', targetId: id, roomId: row.roomId, ...audit });
        if (buckets?.length) {
          await tx
            .insert(proposalLshBuckets)
            .values(buckets.map((b) => ({ ip: row.ip, band: b.band, bucket: b.bucket, proposalId: id })))
            .onConflictDoNothing();
        }
        return row;
      });
    },

    async update(id: string, set: Partial<typeof proposals.$inferInsert>): Promise<ProposalRow | null> {
      const [row] = await db.update(proposals).set(set).where(eq(proposals.id, id)).returning();
      return row ?? null;
    },

    /**
     * Casts, changes or withdraws (0) a vote. The proposal row is locked first, so
     * concurrent votes on one proposal queue up and the recount after each sees them all.
     */
    async vote(proposalId: string, userId: string, value: 1 | -1 | 0, newAccount: boolean): Promise<ProposalRow | null> {
      return transaction(db, async (tx) => {
        const locked = await tx.execute(sql`select id from proposals where id = ${proposalId} for update`);
        if (!locked.rows.length) return null;
        if (value === 0) {
          await tx.delete(proposalVotes).where(and(eq(proposalVotes.proposalId, proposalId), eq(proposalVotes.userId, userId)));
        } else {
          await tx
            .insert(proposalVotes)
            .values({ proposalId, userId, value, newAccount })
            .onConflictDoUpdate({ target: [proposalVotes.proposalId, proposalVotes.userId], set: { value } });
        }
        return recount(tx, proposalId);
      });
    },

    /**
     * Moves every vote of `fromId` to `intoId` (a voter who voted on both keeps the vote on
     * `intoId`) and credits its contributors. Both rows are locked and their statuses
     * checked under the lock, so two merges racing (A into B, B into A) cannot both pass.
     */
    async merge(fromId: string, intoId: string): Promise<{ merged: ProposalRow } | { refused: 'source_merged' | 'target_merged' | 'target_rejected'; mergedInto: string | null }> {
      return transaction(db, async (tx) => {
        const { rows: locked } = await tx.execute(sql`select id, status, merged_into from proposals where id in (${fromId}, ${intoId}) order by id for update`);
        const from = locked.find((r) => r.id === fromId);
        const into = locked.find((r) => r.id === intoId);
        if (from?.status === 'merged') return { refused: 'source_merged' as const, mergedInto: from.merged_into as string | null };
        if (into?.status === 'merged') return { refused: 'target_merged' as const, mergedInto: into.merged_into as string | null };
        if (into?.status === 'rejected') return { refused: 'target_rejected' as const, mergedInto: null };
        await tx.execute(sql`
          insert into proposal_votes (proposal_id, user_id, value, new_account, created_at)
          select ${intoId}, user_id, value, new_account, created_at from proposal_votes where proposal_id = ${fromId}
          on conflict do nothing`);
        await tx.execute(sql`delete from proposal_votes where proposal_id = ${fromId}`);
        await tx.execute(sql`
          insert into proposal_contributors (proposal_id, user_id, user_name, via)
          select ${intoId}, user_id, user_name, ${fromId} from proposal_contributors where proposal_id = ${fromId}
          on conflict do nothing`);
        await tx.update(proposals).set({ status: 'merged', mergedInto: intoId, updatedAt: new Date() }).where(eq(proposals.id, fromId));
        await recount(tx, fromId);
        return { merged: await recount(tx, intoId) };
      });
    },

    /** The caller's own vote on each of `proposalIds` that they voted on. */
    async votesBy(userId: string, proposalIds: string[]): Promise<Map<string, 1 | -1>> {
      if (!proposalIds.length) return new Map();
      const rows = await db
        .select({ proposalId: proposalVotes.proposalId, value: proposalVotes.value })
        .from(proposalVotes)
        .where(and(eq(proposalVotes.userId, userId), inArray(proposalVotes.proposalId, proposalIds)));
      return new Map(rows.map((r) => [r.proposalId, r.value === 1 ? 1 : -1]));
    },

    async contributors(proposalId: string): Promise<Array<{ id: string; name: string }>> {
      const rows = await db.select().from(proposalContributors).where(eq(proposalContributors.proposalId, proposalId));
      return rows.map((r) => ({ id: r.userId, name: r.userName }));
    },

    /** Votes per hour since the proposal was made (the writers' "votes over time"). */
    async votesOverTime(proposalId: string): Promise<Array<{ at: string; supporters: number; opponents: number }>> {
      const { rows } = await db.execute(sql`
        select date_trunc('hour', created_at) as at,
          count(*) filter (where value = 1)::int as supporters, count(*) filter (where value = -1)::int as opponents
        from proposal_votes where proposal_id = ${proposalId} group by 1 order by 1`);
      return rows.map((r) => ({ at: new Date(r.at as string).toISOString(), supporters: Number(r.supporters), opponents: Number(r.opponents) }));
    },

    /** Recent votes from new accounts, for burst detection. */
    async recentNewAccountVotes(proposalId: string, since: Date): Promise<number> {
      const { rows } = await db.execute(sql`select count(*)::int as n from proposal_votes where proposal_id = ${proposalId} and new_account and created_at >= ${since.toISOString()}::timestamptz`);
      return Number(rows[0].n);
    },

    async supportThreshold(ip: string, fallback: number): Promise<number> {
      const [row] = await db.select().from(ipSettings).where(eq(ipSettings.ip, ip));
      return row?.supportThreshold ?? fallback;
    },

    async setSupportThreshold(ip: string, threshold: number): Promise<void> {
      await db.insert(ipSettings).values({ ip, supportThreshold: threshold }).onConflictDoUpdate({ target: ipSettings.ip, set: { supportThreshold: threshold, updatedAt: new Date() } });
    },

    /**
     * Candidate near-duplicates: proposals of the same franchise sharing at least one LSH
     * (band, bucket) with the given buckets, with their full signatures for verification.
     * One indexed lookup per band instead of reading the franchise's every signature.
     */
    async duplicateCandidates(
      ip: string,
      exceptId: string,
      buckets: Array<{ band: number; bucket: number }>,
    ): Promise<Array<{ id: string; minhash: number[]; duplicateOf: string | null }>> {
      if (!buckets.length) return [];
      const { rows } = await db.execute(sql`
        select p.id, p.minhash, p.duplicate_of from proposals p
        where p.id in (
          select b.proposal_id from proposal_lsh_buckets b
          join unnest(${`{${buckets.map((b) => b.band).join(',')}}`}::smallint[], ${`{${buckets.map((b) => b.bucket).join(',')}}`}::int[]) as q(band, bucket)
            on b.band = q.band and b.bucket = q.bucket
          where b.ip = ${ip})
        and p.id <> ${exceptId} and p.minhash is not null and p.status not in ('rejected', 'merged')`);
      return rows.map((r) => ({ id: r.id as string, minhash: r.minhash as number[], duplicateOf: (r.duplicate_of as string | null) ?? null }));
    },

    /** Open proposals (votes still count) changed since `since`: votes update `updated_at` through the recount. */
    async recentlyActive(since: Date, limit: number): Promise<ProposalRow[]> {
      return db
        .select()
        .from(proposals)
        .where(and(sql`${proposals.status} in ('approved', 'in_review', 'shortlisted')`, sql`${proposals.updatedAt} >= ${since.toISOString()}::timestamptz`))
        .orderBy(sql`${proposals.updatedAt} desc`)
        .limit(limit);
    },

    async authorRecentCount(authorId: string, since: Date): Promise<number> {
      const { rows } = await db.execute(sql`select count(*)::int as n from proposals where author_id = ${authorId} and created_at >= ${since.toISOString()}::timestamptz`);
      return Number(rows[0].n);
    },
  };
}

async function recount(db: Db, proposalId: string): Promise<ProposalRow> {
  const [row] = await db
    .update(proposals)
    .set({
      supporters: sql`(select count(*) from proposal_votes where proposal_id = ${proposalId} and value = 1)::int`,
      opponents: sql`(select count(*) from proposal_votes where proposal_id = ${proposalId} and value = -1)::int`,
      newAccountVotes: sql`(select count(*) from proposal_votes where proposal_id = ${proposalId} and new_account)::int`,
      updatedAt: new Date(),
    })
    .where(eq(proposals.id, proposalId))
    .returning();
  return row;
}

export type ProposalStore = ReturnType<typeof createProposalStore>;
