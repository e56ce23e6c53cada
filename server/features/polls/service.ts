import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { CreatePollInput, Poll, PollVoteInput, Tallies } from '../../../contracts/polls.js';
import type { User } from '../../../contracts/auth.js';
import { ErrorCode } from '../../../contracts/errors.js';
import { AppError, notFound } from '../../errors.js';
import type { RoomService } from '../rooms/index.js';
import type { PollStore } from './store.js';
import type { LiveTallies } from './live-tallies.js';
import type { PollLifecycle } from './lifecycle.js';
import { fillTallies, toPoll } from './view.js';

const RESULT_READERS = new Set(['moderator', 'admin', 'writer']);

/** Creating polls, reading them with the right visibility, and voting. */
export function createPollService(deps: { store: PollStore; live: LiveTallies; lifecycle: PollLifecycle; rooms: RoomService; now: () => number; windowMs: number }) {
  const { store, live, lifecycle } = deps;

  async function load(id: string): Promise<Poll> {
    const row = await store.byId(id);
    if (!row) throw notFound('poll');
    return toPoll(row, deps.now());
  }

  const canSeeResults = (poll: Poll, user: User | null) =>
    poll.resultsVisibility === 'live' || poll.status === 'closed' || (user !== null && RESULT_READERS.has(user.role));

  async function resultsOf(poll: Poll): Promise<{ tallies: Tallies; total: number }> {
    if (poll.status === 'draft') return { tallies: fillTallies(poll, {}), total: 0 };
    // Closed polls answer from the vote rows; open ones from the live counters.
    if (poll.status === 'closed') {
      const { tallies, voters } = await store.countVotes(poll.id);
      return { tallies: fillTallies(poll, tallies), total: voters };
    }
    return live.read(poll.id, poll.options.map((o) => o.id));
  }

  return {
    async create(roomId: string, input: z.output<typeof CreatePollInput>, by: User): Promise<Poll> {
      const room = await deps.rooms.get(roomId);
      if (input.atOffsetMs !== undefined && input.atOffsetMs > room.durationMs) {
        throw new AppError(ErrorCode.VALIDATION_FAILED, 'atOffsetMs is past the end of the premiere', [{ path: 'atOffsetMs', message: `at most ${room.durationMs}` }]);
      }
      const row = await store.insert({
        id: randomUUID(),
        roomId: room.id,
        question: input.question,
        options: input.options.map((text, i) => ({ id: `o${i + 1}`, text })),
        kind: input.kind,
        maxChoices: input.kind === 'single' ? 1 : (input.maxChoices ?? input.options.length),
        durationMs: input.durationMs,
        resultsVisibility: input.resultsVisibility,
        atOffsetMs: input.atOffsetMs ?? null,
        createdBy: by.id,
      });
      if (input.atOffsetMs !== undefined) await lifecycle.scheduleOpen(row.id, Date.parse(room.startsAt) + input.atOffsetMs);
      return toPoll(row, deps.now());
    },

    async open(id: string): Promise<Poll> {
      const poll = await load(id);
      if (poll.status !== 'draft') throw new AppError(ErrorCode.CONFLICT, `the poll is already ${poll.status}`);
      const room = await deps.rooms.get(poll.roomId);
      return (await lifecycle.open(id, deps.rooms.positionOf(room))) ?? load(id);
    },

    async close(id: string) {
      const poll = await load(id);
      if (poll.status === 'draft') throw new AppError(ErrorCode.CONFLICT, 'the poll has not opened');
      const closed = await lifecycle.close(id);
      if (closed) return closed;
      return { poll: await load(id), ...(await resultsOf({ ...poll, status: 'closed' })) };
    },

    /** A poll with its tallies when the caller may see them, and the caller's own vote. */
    async get(id: string, user: User | null) {
      const poll = await load(id);
      // A draft is staff's plan: fans must not read the question before it opens.
      if (poll.status === 'draft' && !(user && RESULT_READERS.has(user.role))) throw notFound('poll');
      const myVote = user ? await store.myVote(id, user.id) : null;
      if (!canSeeResults(poll, user)) return { poll, myVote, total: (await resultsOf(poll)).total };
      return { poll, myVote, ...(await resultsOf(poll)) };
    },

    async listByRoom(roomId: string, user: User | null) {
      await deps.rooms.getCached(roomId);
      const staff = user !== null && RESULT_READERS.has(user.role);
      const rows = (await store.byRoom(roomId)).filter((r) => staff || r.status !== 'draft');
      return Promise.all(rows.map((r) => this.get(r.id, user)));
    },

    async vote(user: User, input: z.output<typeof PollVoteInput>): Promise<{ pollId: string; optionIds: string[] }> {
      const poll = await load(input.pollId);
      if (poll.status !== 'open') throw new AppError(ErrorCode.POLL_CLOSED, poll.status === 'draft' ? 'the poll is not open yet' : 'the poll has closed');
      const chosen = [...new Set(input.optionIds)];
      const known = new Set(poll.options.map((o) => o.id));
      const unknown = chosen.filter((o) => !known.has(o));
      if (unknown.length) throw new AppError(ErrorCode.VALIDATION_FAILED, 'unknown option', [{ path: 'optionIds', message: `not in this poll: ${unknown.join(', ')}` }]);
      if (chosen.length !== input.optionIds.length) throw new AppError(ErrorCode.VALIDATION_FAILED, 'an option is chosen twice', [{ path: 'optionIds', message: 'choose each option once' }]);
      if (chosen.length > poll.maxChoices) {
        throw new AppError(ErrorCode.VALIDATION_FAILED, `choose at most ${poll.maxChoices}`, [{ path: 'optionIds', message: `at most ${poll.maxChoices}` }]);
      }
      const outcome = await store.vote(poll.id, user.id, chosen, new Date(deps.now()));
      if (outcome === 'duplicate') throw new AppError(ErrorCode.ALREADY_VOTED, 'you have already voted in this poll');
      if (outcome === 'closed') throw new AppError(ErrorCode.POLL_CLOSED, 'the poll has closed');
      await live.add(poll.id, chosen);
      if (await live.claimPush(poll.id)) {
        setTimeout(() => void lifecycle.pushUpdate(poll).catch(() => undefined), deps.windowMs).unref();
      }
      return { pollId: poll.id, optionIds: chosen };
    },
  };
}

export type PollService = ReturnType<typeof createPollService>;
