import type { z } from 'zod';
import { PollVoteInput } from '../../../contracts/polls.js';
import type { EventSpec } from '../../realtime/handle.js';
import type { PollService } from './service.js';

/** `poll:vote`: accounts only; one final vote per account per poll. */
export function pollEvents(polls: PollService): Record<string, EventSpec<z.ZodType>> {
  return {
    'poll:vote': {
      schema: PollVoteInput,
      access: 'account',
      run: (input: z.output<typeof PollVoteInput>, { session }) => polls.vote(session!.user, input),
    },
  };
}
