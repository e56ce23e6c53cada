import type { Poll, Tallies } from '../../../contracts/polls.js';
import type { PollRow } from './store.js';

/** The poll as clients see it; an open poll past its deadline already reads as closed. */
export function toPoll(row: PollRow, now: number): Poll {
  const closesAt = row.closesAt?.toISOString() ?? null;
  const expired = row.status === 'open' && row.closesAt !== null && row.closesAt.getTime() <= now;
  return {
    id: row.id,
    roomId: row.roomId,
    question: row.question,
    options: row.options,
    kind: row.kind,
    maxChoices: row.maxChoices,
    status: expired ? 'closed' : row.status,
    durationMs: row.durationMs,
    opensAt: row.opensAt?.toISOString() ?? null,
    closesAt,
    resultsVisibility: row.resultsVisibility,
    atOffsetMs: row.atOffsetMs,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Every option present, zero where nobody chose it. */
export function fillTallies(poll: Pick<Poll, 'options'>, counts: Record<string, number>): Tallies {
  return Object.fromEntries(poll.options.map((o) => [o.id, counts[o.id] ?? 0]));
}
