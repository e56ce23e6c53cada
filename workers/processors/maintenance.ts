import { UnrecoverableError } from 'bullmq';
import { MaintenanceJob, QueueName } from '../../contracts/jobs.js';
import type { ProcessorSpec } from '../processor.js';

const PRESENCE_STALE_MS = 90_000;

/**
 * Housekeeping. `sweep-presence` ages out viewers whose server process died without
 * saying goodbye, in every room, even rooms nobody is looking at.
 */
export const maintenance: ProcessorSpec = {
  queue: QueueName.maintenance,
  schedules: [{ id: 'sweep-presence', everyMs: 60_000, data: { name: 'sweep-presence' } }],
  create: (deps) => async (job) => {
    const parsed = MaintenanceJob.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`bad maintenance job: ${parsed.error.issues[0]?.message}`);
    switch (parsed.data.name) {
      case 'sweep-presence': {
        let removed = 0;
        const cutoff = deps.clock.now() - PRESENCE_STALE_MS;
        for await (const keys of deps.redis.scanIterator({ MATCH: deps.key('presence', '*'), COUNT: 200 })) {
          for (const key of keys) removed += await deps.redis.zRemRangeByScore(key, 0, cutoff);
        }
        return { removed };
      }
      default: {
        const never: never = parsed.data.name;
        throw new UnrecoverableError(`unknown job ${never}`);
      }
    }
  },
};
