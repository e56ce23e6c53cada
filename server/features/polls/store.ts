import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { transaction } from '../../db/transaction.js';
import { polls, pollVotes } from '../../db/schema.js';

export type PollRow = typeof polls.$inferSelect;
export type VoteOutcome = 'inserted' | 'duplicate' | 'closed';

/** A Postgres array literal as one bound text parameter (drizzle would spread a JS array into a row). */
const pgArray = (items: string[]) => `{${items.map((i) => `"${i.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;

/**
 * SQL for polls. Votes are rows with a primary key per account and poll; a vote only
 * goes in while its poll row is open, under a share lock, and closing takes the row
 * lock first — so the closing count includes every vote that was accepted and no vote
 * is accepted after it.
 */
export function createPollStore(db: Db) {
  return {
    async insert(row: typeof polls.$inferInsert): Promise<PollRow> {
      const [created] = await db.insert(polls).values(row).returning();
      return created;
    },

    async byId(id: string): Promise<PollRow | null> {
      const [row] = await db.select().from(polls).where(eq(polls.id, id));
      return row ?? null;
    },

    async byRoom(roomId: string): Promise<PollRow[]> {
      return db.select().from(polls).where(eq(polls.roomId, roomId)).orderBy(asc(polls.createdAt)).limit(200);
    },

    /** Opens a draft; returns null when it was not a draft any more (someone else opened it). */
    async open(id: string, at: Date, atOffsetMs: number | null): Promise<PollRow | null> {
      const [row] = await db
        .update(polls)
        .set({
          status: 'open',
          opensAt: at,
          closesAt: sql`${at.toISOString()}::timestamptz + make_interval(secs => ${polls.durationMs}::float8 / 1000)`,
          atOffsetMs: sql`coalesce(${polls.atOffsetMs}, ${atOffsetMs})`,
        })
        .where(and(eq(polls.id, id), eq(polls.status, 'draft')))
        .returning();
      return row ?? null;
    },

    /**
     * Records many accounts' votes on one poll in one statement (group commit). A vote goes
     * in only while the poll row is open and its deadline is after the vote's moment, under
     * the same share lock a single vote took, so closing still sees all of them or waits.
     * Each account appears at most once per call. Answers per account: 'inserted',
     * 'duplicate' (it had voted before) or 'closed'.
     */
    async voteMany(pollId: string, votes: Array<{ userId: string; optionIds: string[]; at: Date }>): Promise<Map<string, VoteOutcome>> {
      const inserted = await db.execute(sql`
        insert into poll_votes (poll_id, user_id, option_ids)
        select p.id, v.user_id, v.option_ids
        from (select id, closes_at from polls where id = ${pollId} and status = 'open' for share) as p,
          unnest(${pgArray(votes.map((v) => v.userId))}::uuid[], ${pgArray(votes.map((v) => JSON.stringify(v.optionIds)))}::jsonb[], ${pgArray(votes.map((v) => v.at.toISOString()))}::timestamptz[])
            as v(user_id, option_ids, at)
        where p.closes_at > v.at
        on conflict do nothing
        returning user_id`);
      const outcomes = new Map<string, VoteOutcome>(votes.map((v) => [v.userId, 'closed']));
      for (const r of inserted.rows) outcomes.set(String(r.user_id), 'inserted');
      const missing = votes.filter((v) => outcomes.get(v.userId) !== 'inserted').map((v) => v.userId);
      if (missing.length) {
        const existing = await db.execute(sql`select user_id from poll_votes where poll_id = ${pollId} and user_id = any(${pgArray(missing)}::uuid[])`);
        for (const r of existing.rows) outcomes.set(String(r.user_id), 'duplicate');
      }
      return outcomes;
    },

    /** Closes an open poll and stores its final tallies; null when it was not open. */
    async close(id: string, at: Date): Promise<{ row: PollRow; tallies: Record<string, number>; voters: number } | null> {
      return transaction(db, async (tx) => {
        const [locked] = await tx.execute(sql`select id from polls where id = ${id} and status = 'open' for update`).then((r) => r.rows);
        if (!locked) return null;
        // New statements, so they see every vote committed while we waited for the lock.
        const { tallies, voters } = await countVotesIn(tx, id);
        const [row] = await tx
          .update(polls)
          .set({ status: 'closed', finalTallies: tallies, closesAt: sql`least(${polls.closesAt}, ${at.toISOString()}::timestamptz)` })
          .where(eq(polls.id, id))
          .returning();
        return { row, tallies, voters };
      });
    },

    /** Tallies counted from the vote rows (the authority; Redis only serves the live view). */
    countVotes: (id: string) => countVotesIn(db, id),

    async myVote(pollId: string, userId: string): Promise<string[] | null> {
      const [row] = await db.select({ optionIds: pollVotes.optionIds }).from(pollVotes).where(and(eq(pollVotes.pollId, pollId), eq(pollVotes.userId, userId)));
      return row?.optionIds ?? null;
    },
  };
}

/** Votes per option and voters, counted from the rows. */
async function countVotesIn(db: Db, pollId: string): Promise<{ tallies: Record<string, number>; voters: number }> {
  const counts = await db.execute(sql`
    select opt, count(*)::int as n from poll_votes, jsonb_array_elements_text(option_ids) as opt
    where poll_id = ${pollId} group by opt`);
  const [{ voters }] = (await db.execute(sql`select count(*)::int as voters from poll_votes where poll_id = ${pollId}`)).rows as Array<{ voters: number }>;
  return { tallies: Object.fromEntries(counts.rows.map((r) => [String(r.opt), Number(r.n)])), voters };
}

export type PollStore = ReturnType<typeof createPollStore>;
