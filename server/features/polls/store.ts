import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { polls, pollVotes } from '../../db/schema.js';

export type PollRow = typeof polls.$inferSelect;

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

    /** Records a vote if the poll is open at `at`; 'inserted', 'duplicate' or 'closed'. */
    async vote(pollId: string, userId: string, optionIds: string[], at: Date): Promise<'inserted' | 'duplicate' | 'closed'> {
      const result = await db.execute(sql`
        insert into poll_votes (poll_id, user_id, option_ids)
        select ${pollId}, ${userId}, ${JSON.stringify(optionIds)}::jsonb
        where exists (
          select 1 from polls where id = ${pollId} and status = 'open' and closes_at > ${at.toISOString()}::timestamptz for share
        )
        on conflict do nothing
        returning poll_id`);
      if (result.rows.length) return 'inserted';
      const [existing] = await db.select({ u: pollVotes.userId }).from(pollVotes).where(and(eq(pollVotes.pollId, pollId), eq(pollVotes.userId, userId)));
      return existing ? 'duplicate' : 'closed';
    },

    /** Closes an open poll and stores its final tallies; null when it was not open. */
    async close(id: string, at: Date): Promise<{ row: PollRow; tallies: Record<string, number>; voters: number } | null> {
      return db.transaction(async (tx) => {
        const [locked] = await tx.execute(sql`select id from polls where id = ${id} and status = 'open' for update`).then((r) => r.rows);
        if (!locked) return null;
        // New statements, so they see every vote committed while we waited for the lock.
        const { tallies, voters } = await countVotesIn(tx as unknown as Db, id);
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
