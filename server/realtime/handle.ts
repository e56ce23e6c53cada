import type { z } from 'zod';
import type { Logger } from 'pino';
import type { Role } from '../../contracts/auth.js';
import type { ErrorBody } from '../../contracts/errors.js';
import type { Session } from '../features/auth/index.js';
import type { Metrics } from '../metrics.js';
import { AppError, forbidden, toAppError, unauthenticated } from '../errors.js';
import { ErrorCode } from '../../contracts/errors.js';
import type { EventBudget } from './event-budget.js';
import { parseInput } from '../validate.js';
import type { LotusSocket } from './types.js';

export interface HandlerContext {
  socket: LotusSocket;
  session: Session | null;
}

type Access = 'anyone' | 'account' | readonly Role[];

export interface EventSpec<S extends z.ZodType> {
  schema: S;
  /** Who may send the event: anyone (guests too), any account, or only these roles. */
  access: Access;
  run(input: z.output<S>, ctx: HandlerContext): Promise<object> | object;
}

/**
 * The socket transport in one place: checks access, validates the payload with the
 * shared schema, calls the feature and turns the outcome into an ack
 * (`{ok:true,...}` or `{ok:false,error}`). A handler never throws into Socket.IO.
 */
export function bindEvent<S extends z.ZodType>(
  socket: LotusSocket,
  event: string,
  spec: EventSpec<S>,
  deps: { log: Logger; metrics: Metrics; budget: EventBudget },
): void {
  socket.on(event as never, (async (...args: unknown[]) => {
    const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (res: unknown) => void) : undefined;
    try {
      const wait = deps.budget.take(socket);
      if (wait > 0) throw new AppError(ErrorCode.RATE_LIMITED, 'too many events from this connection; slow down', { retryAfterMs: wait });
      const session = socket.data.session;
      checkAccess(spec.access, session);
      const input = parseInput(spec.schema, args[0]);
      const result = await spec.run(input, { socket, session });
      deps.metrics.socketEvents.inc({ event, outcome: 'ok' });
      ack?.({ ok: true, ...result });
    } catch (err) {
      const appErr = toAppError(err);
      if (appErr.code === 'UNAVAILABLE') deps.log.warn({ err: (appErr.cause as Error)?.message, event }, 'dependency unavailable');
      if (appErr.code === 'INTERNAL') deps.log.error({ err: appErr.cause ?? err, event, socketId: socket.id }, 'socket handler failed');
      deps.metrics.socketEvents.inc({ event, outcome: appErr.code });
      const error: ErrorBody = { code: appErr.code, message: appErr.message };
      if (appErr.details !== undefined && appErr.code !== 'INTERNAL') error.details = appErr.details;
      ack?.({ ok: false, error });
    }
  }) as never);
}

function checkAccess(access: Access, session: Session | null): void {
  if (access === 'anyone') return;
  if (!session) throw unauthenticated('log in to do that');
  if (access !== 'account' && !access.includes(session.user.role)) throw forbidden();
}
