import type { Logger } from 'pino';
import { pollVersion, type Poll, type Tallies } from '../../../contracts/polls.js';
import type { Queues } from '../../queues.js';
import type { RoomBroadcaster } from '../../realtime/relay.js';
import type { PollStore } from './store.js';
import type { LiveTallies } from './live-tallies.js';
import { fillTallies, toPoll } from './view.js';

export interface PollLifecycleDeps {
  store: PollStore;
  live: LiveTallies;
  queues: Queues;
  broadcast: RoomBroadcaster;
  channel: (roomId: string) => string;
  staffChannel: (roomId: string) => string;
  now: () => number;
  log: Logger;
}

/**
 * Opening and closing polls: shared by the server (staff clicking open/close) and the
 * workers (the scheduled moment and the deadline), so both do exactly the same thing.
 * Both steps are idempotent; the close job exists even when nobody is connected and
 * survives restarts because it is a delayed BullMQ job in Redis.
 */
export function createPollLifecycle(deps: PollLifecycleDeps) {
  async function scheduleClose(poll: Poll) {
    const delay = Math.max(0, Date.parse(poll.closesAt!) - deps.now());
    await deps.queues.polls.add('close', { pollId: poll.id, action: 'close' }, { jobId: `close-${poll.id}`, delay });
  }

  /** Sends results to a poll's room: with tallies when fans may see them, and always with tallies to staff. */
  async function toAudience(event: 'poll:opened' | 'poll:update', poll: Poll, tallies: Tallies, total: number) {
    const version = pollVersion(poll.status, total);
    if (poll.resultsVisibility === 'live') {
      await deps.broadcast.toRoom(deps.channel(poll.roomId), event, { poll, tallies, total, version });
    } else {
      await deps.broadcast.toRoom(deps.channel(poll.roomId), event, { poll, total, version });
      await deps.broadcast.toRoom(deps.staffChannel(poll.roomId), event, { poll, tallies, total, version });
    }
  }

  const liveResults = (poll: Poll) => deps.live.read(poll.id, poll.options.map((o) => o.id));

  return {
    /** Tells the room's staff about a new draft, so every moderator's panel lists it. */
    async created(poll: Poll) {
      await deps.broadcast.toRoom(deps.staffChannel(poll.roomId), 'poll:created', { poll, version: pollVersion(poll.status, 0) });
    },

    /** Schedules a poll with a moment to open when the premiere reaches it. */
    async scheduleOpen(pollId: string, atMs: number) {
      await deps.queues.polls.add('open', { pollId, action: 'open' }, { jobId: `open-${pollId}`, delay: Math.max(0, atMs - deps.now()) });
    },

    async open(pollId: string, positionMs: number | null): Promise<Poll | null> {
      const row = await deps.store.open(pollId, new Date(deps.now()), positionMs);
      if (!row) return null;
      const poll = toPoll(row, deps.now());
      await scheduleClose(poll);
      const { tallies, total } = await liveResults(poll);
      await toAudience('poll:opened', poll, fillTallies(poll, tallies), total);
      return poll;
    },

    async close(pollId: string): Promise<{ poll: Poll; tallies: Tallies; total: number } | null> {
      const closed = await deps.store.close(pollId, new Date(deps.now()));
      if (!closed) return null;
      const poll = toPoll(closed.row, deps.now());
      const tallies = fillTallies(poll, closed.tallies);
      await deps.live.set(poll.id, tallies, closed.voters).catch((err) => deps.log.warn({ err: err.message }, 'live tallies not reset'));
      const result = { poll, tallies, total: closed.voters };
      await deps.broadcast.toRoom(deps.channel(poll.roomId), 'poll:closed', { ...result, version: pollVersion('closed', closed.voters) });
      return result;
    },

    /**
     * Pushes the live tallies (fans see them only for live-results polls; staff always).
     * Reads the poll afresh: once it has closed (or passed its deadline) there is nothing
     * live to push, and `poll:closed` carries the final result.
     */
    async pushUpdate(pollId: string) {
      const row = await deps.store.byId(pollId);
      if (!row) return;
      const poll = toPoll(row, deps.now());
      if (poll.status !== 'open') return;
      const { tallies, total } = await liveResults(poll);
      await toAudience('poll:update', poll, tallies, total);
    },
  };
}

export type PollLifecycle = ReturnType<typeof createPollLifecycle>;
