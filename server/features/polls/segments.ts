import { sql } from 'drizzle-orm';
import type { Poll, SegmentBreakdown } from '../../../contracts/polls.js';
import type { Db } from '../../db/database.js';
import { segmentBreakdown, toVoterFacts } from '../../audience/segments.js';

/**
 * A poll's results by audience segment. "Returning" means the voter had watched
 * another premiere before this one.
 */
export async function breakdownBySegment(db: Db, poll: Poll, nowMs: number): Promise<SegmentBreakdown> {
  const { rows } = await db.execute(sql`
    select v.option_ids, p.birth_year, p.region, p.gender,
      exists (
        select 1 from room_views other
        where other.user_id = v.user_id and other.room_id <> ${poll.roomId}
          and other.first_joined_at < coalesce(
            (select here.first_joined_at from room_views here where here.room_id = ${poll.roomId} and here.user_id = v.user_id),
            v.created_at)
      ) as returning
    from poll_votes v left join profiles p on p.user_id = v.user_id
    where v.poll_id = ${poll.id}`);
  return segmentBreakdown(rows.map(toVoterFacts), poll.options.map((o) => o.id), nowMs);
}
