import type { z } from 'zod';
import { type Danmaku, DanmakuRef, DanmakuReportInput, DanmakuSendInput } from '../../../contracts/danmaku.js';
import type { EventSpec } from '../../realtime/handle.js';
import type { DanmakuSender } from './service.js';
import type { DanmakuReactions } from './reactions.js';
import type { Limiter } from '../../rate-limit.js';

/** Socket events of the danmaku feature. Guests may watch; every event here needs an account. */
export function danmakuEvents(deps: {
  sender: DanmakuSender;
  reactions: DanmakuReactions;
  /** The hourly report budget POST /api/reports spends too. */
  reportLimit: Limiter;
  onAccepted?: (d: Danmaku, seq: string) => void;
  /** A comment held for review: staff see the queue grow live. */
  onHeld?: (d: Danmaku) => void;
  /** A comment reported by a viewer: it enters the staff queue. */
  onReported?: (id: string) => void;
}): Record<string, EventSpec<z.ZodType>> {
  return {
    'danmaku:send': {
      schema: DanmakuSendInput,
      access: 'account',
      async run(input: z.output<typeof DanmakuSendInput>, { session, socket }) {
        const { danmaku, seq } = await deps.sender.send(session!, input, socket.data.ip);
        if (seq && deps.onAccepted) deps.onAccepted(danmaku, seq);
        if (danmaku.held) deps.onHeld?.(danmaku);
        return { danmaku, seq };
      },
    },
    'danmaku:like': {
      schema: DanmakuRef,
      access: 'account',
      run: (input: z.output<typeof DanmakuRef>, { session }) => deps.reactions.like(input.id, session!.user.id),
    },
    'danmaku:report': {
      schema: DanmakuReportInput,
      access: 'account',
      async run(input: z.output<typeof DanmakuReportInput>, { session }) {
        await deps.reportLimit.consume(session!.user.id);
        const result = await deps.reactions.report(input.id, session!.user.id, input.reason);
        deps.onReported?.(input.id);
        return result;
      },
    },
  };
}
