import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { pollVersion, type CreatePollInput, type Poll, type PollVoteInput, type Tallies } from '../../../contracts/polls.js';
import type { User } from '../../../contracts/auth.js';
import { ErrorCode } from '../../../contracts/errors.js';
import { AppError, notFound } from '../../errors.js';
import type { RoomService } from '../rooms/index.js';
import type { Sanctions } from '../moderation/index.js';
import type { PollRow, PollStore } from './store.js';
import type { LiveTallies } from './live-tallies.js';
import type { PollLifecycle } from './lifecycle.js';
import type { VoteBatcher } from './vote-batcher.js';
import { fillTallies, toPoll } from './view.js';

const RESULT_READERS = new Set(['moderator', 'admin', 'writer']);
/** How long a vote may check an open poll against a copy of its row instead of reading it. */
const POLL_CACHE_MS = 1_000;

/** Polls are asked live: a replay shows them with their final results but takes none. */
const notLive = () => new AppError(ErrorCode.ROOM_NOT_LIVE, 'the premiere has ended; polls are created and opened only before or during it');

/** Creating polls, reading them with the right visibility, and voting. */
export function createPollService(deps: {
  store: PollStore;
  live: LiveTallies;
  lifecycle: PollLifecycle;
  batcher: VoteBatcher;
  rooms: RoomService;
  sanctions: Pick<Sanctions, 'assertNotBanned'>;
  now: () => number;
}) {
  const { store, live, lifecycle } = deps;

  // Votes check the poll (status, options, choices) against a copy of its row kept for a
  // moment, shared by every vote of a burst. A stale copy cannot let a vote in after the
  // close: the insert itself requires the row to be open. Drafts are never kept, so an
  // opening is seen at once.
  const cache = new Map<string, { at: number; row: Promise<PollRow | null> }>();
  function cachedRow(id: string): Promise<PollRow | null> {
    const hit = cache.get(id);
    if (hit && deps.now() - hit.at < POLL_CACHE_MS) return hit.row;
    if (cache.size > 1_000) cache.clear();
    const entry = { at: deps.now(), row: store.byId(id) };
    cache.set(id, entry);
    const forget = () => cache.get(id) === entry && cache.delete(id);
    entry.row.then((r) => (!r || r.status === 'draft') && forget(), forget);
    return entry.row;
  }

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
      // A draft in a premiere that has ended could never open (see open() below): refuse it now.
      if (room.status === 'ended') throw notLive();
      // A poll's moment must fall inside the premiere: one at the very end would open as it ends.
      if (input.atOffsetMs !== undefined && input.atOffsetMs >= room.durationMs) {
        throw new AppError(ErrorCode.VALIDATION_FAILED, 'atOffsetMs is not before the end of the premiere', [{ path: 'atOffsetMs', message: `less than ${room.durationMs}` }]);
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
      const poll = toPoll(row, deps.now());
      await lifecycle.created(poll);
      return poll;
    },

    async open(id: string): Promise<Poll> {
      const poll = await load(id);
      if (poll.status !== 'draft') throw new AppError(ErrorCode.CONFLICT, `the poll is already ${poll.status}`);
      const room = await deps.rooms.get(poll.roomId);
      // Polls are asked live; a replay shows them with their final results but takes no votes.
      if (room.status === 'ended') throw notLive();
      return (await lifecycle.open(id, deps.rooms.positionOf(room))) ?? load(id);
    },

    async close(id: string) {
      const poll = await load(id);
      if (poll.status === 'draft') throw new AppError(ErrorCode.CONFLICT, 'the poll has not opened');
      const closed = await lifecycle.close(id);
      cache.delete(id);
      if (closed) return closed;
      return { poll: await load(id), ...(await resultsOf({ ...poll, status: 'closed' })) };
    },

    /** A poll with its tallies when the caller may see them, and the caller's own vote. */
    async get(id: string, user: User | null) {
      const poll = await load(id);
      // A draft is staff's plan: fans must not read the question before it opens.
      if (poll.status === 'draft' && !(user && RESULT_READERS.has(user.role))) throw notFound('poll');
      const myVote = user ? await store.myVote(id, user.id) : null;
      const results = await resultsOf(poll);
      const version = pollVersion(poll.status, results.total);
      if (!canSeeResults(poll, user)) return { poll, myVote, total: results.total, version };
      return { poll, myVote, ...results, version };
    },

    async listByRoom(roomId: string, user: User | null) {
      await deps.rooms.getCached(roomId);
      const staff = user !== null && RESULT_READERS.has(user.role);
      const rows = (await store.byRoom(roomId)).filter((r) => staff || r.status !== 'draft');
      return Promise.all(rows.map((r) => this.get(r.id, user)));
    },

    async vote(user: User, input: z.output<typeof PollVoteInput>): Promise<{ pollId: string; optionIds: string[] }> {
      const row = await cachedRow(input.pollId);
      if (!row) throw notFound('poll');
      const poll = toPoll(row, deps.now());
      if (poll.status !== 'open') throw new AppError(ErrorCode.POLL_CLOSED, poll.status === 'draft' ? 'the poll is not open yet' : 'the poll has closed');
      const chosen = [...new Set(input.optionIds)];
      const known = new Set(poll.options.map((o) => o.id));
      const unknown = chosen.filter((o) => !known.has(o));
      if (unknown.length) throw new AppError(ErrorCode.VALIDATION_FAILED, 'unknown option', [{ path: 'optionIds', message: `not in this poll: ${unknown.join(', ')}` }]);
      if (chosen.length !== input.optionIds.length) throw new AppError(ErrorCode.VALIDATION_FAILED, 'an option is chosen twice', [{ path: 'optionIds', message: 'choose each option once' }]);
      if (chosen.length > poll.maxChoices) {
        throw new AppError(ErrorCode.VALIDATION_FAILED, `choose at most ${poll.maxChoices}`, [{ path: 'optionIds', message: `at most ${poll.maxChoices}` }]);
      }
      await deps.sanctions.assertNotBanned(user.id, poll.roomId);
      // Waits for this vote's row to commit (in a batch with the votes around it).
      const outcome = await deps.batcher.submit(poll, user.id, chosen);
      if (outcome === 'duplicate') throw new AppError(ErrorCode.ALREADY_VOTED, 'you have already voted in this poll');
      if (outcome === 'closed') throw new AppError(ErrorCode.POLL_CLOSED, 'the poll has closed');
      return { pollId: poll.id, optionIds: chosen };
    },
  };
}

export type PollService = ReturnType<typeof createPollService>;
