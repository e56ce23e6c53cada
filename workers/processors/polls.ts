import { UnrecoverableError } from 'bullmq';
import { PollJob, QueueName } from '../../contracts/jobs.js';
import { createPollCore } from '../../server/features/polls/index.js';
import { createRoomStore } from '../../server/features/rooms/store.js';
import { createRelayEmitter } from '../../server/realtime/relay.js';
import type { ProcessorSpec } from '../processor.js';

/**
 * Poll timing that must not depend on anyone being connected: `open` at the premiere
 * moment a poll was given, `close` at its deadline. Both are idempotent, so a retried
 * or duplicated job changes nothing the second time.
 */
export const polls: ProcessorSpec = {
  queue: QueueName.polls,
  create: (deps) => {
    const { lifecycle, store } = createPollCore({ ...deps, broadcast: createRelayEmitter(deps.redis, deps.key('relay')) });
    const rooms = createRoomStore(deps.db.orm);
    return async (job) => {
      const parsed = PollJob.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`bad poll job: ${parsed.error.issues[0]?.message}`);
      const { pollId, action } = parsed.data;
      if (action === 'close') return { closed: Boolean(await lifecycle.close(pollId)) };
      const poll = await store.byId(pollId);
      if (!poll) return { opened: false, reason: 'gone' };
      const room = await rooms.byId(poll.roomId);
      // A scheduled moment always lies inside the premiere; if the job only runs after it
      // has ended (workers were down), the poll stays a draft, as staff opening it then would.
      if (room && deps.clock.now() >= room.startsAt.getTime() + room.durationMs) return { opened: false, reason: 'ended' };
      const position = room ? Math.min(Math.max(deps.clock.now() - room.startsAt.getTime(), 0), room.durationMs) : null;
      return { opened: Boolean(await lifecycle.open(pollId, position)) };
    };
  },
};
