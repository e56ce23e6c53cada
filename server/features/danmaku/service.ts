import type { Danmaku, DanmakuSendInput } from '../../../contracts/danmaku.js';
import type { z } from 'zod';
import type { DanmakuSendInput as SendSchema } from '../../../contracts/danmaku.js';
import type { Room } from '../../../contracts/rooms.js';
import { ErrorCode } from '../../../contracts/errors.js';
import type { Session } from '../auth/index.js';
import type { RoomService } from '../rooms/index.js';
import type { Sanctions } from '../moderation/sanctions.js';
import type { Rules } from '../moderation/rules.js';
import type { Redis } from '../../redis/redis-client.js';
import type { Limiter } from '../../rate-limit.js';
import { AppError } from '../../errors.js';
import { uuidv7 } from '../../ids.js';
import type { DanmakuStreams, DanmakuState } from './stream.js';
import { automodSignals } from './automod.js';

export interface SendResult {
  danmaku: Danmaku;
  /** The room-stream id when the comment went public. */
  seq: string | null;
}

export interface DanmakuSendDeps {
  rooms: RoomService;
  sanctions: Sanctions;
  rules: Rules;
  streams: DanmakuStreams;
  redis: Redis;
  key: (...p: string[]) => string;
  perIp: Limiter;
  now: () => number;
  userIntervalMs: number;
}

const STAFF_ROLES = new Set(['moderator', 'admin', 'writer']);
const NONCE_TTL_S = 600;

/**
 * Accepting one danmaku: checks run cheapest-first, and nothing is acked until the
 * comment is in Redis. Re-sending the same nonce returns the first result, so a
 * client may retry after a timeout without creating a duplicate.
 */
export function createDanmakuSender(deps: DanmakuSendDeps) {
  const nonceKey = (userId: string, nonce: string) => deps.key('dm', 'nonce', userId, nonce);

  async function checkPace(session: Session, room: Room, slowModeMs: number, ip: string) {
    const userId = session.user.id;
    const userKey = deps.key('dm', 'pace', userId);
    const set = deps.userIntervalMs > 0 ? await deps.redis.set(userKey, '1', { condition: 'NX', expiration: { type: 'PX', value: deps.userIntervalMs } }) : 'OK';
    if (set === null) {
      const retryAfterMs = Math.max(1, await deps.redis.pTTL(userKey));
      throw new AppError(ErrorCode.RATE_LIMITED, 'you are sending too fast', { retryAfterMs });
    }
    if (slowModeMs > deps.userIntervalMs && !STAFF_ROLES.has(session.user.role)) {
      const slowKey = deps.key('dm', 'slow', room.id, userId);
      const ok = await deps.redis.set(slowKey, '1', { condition: 'NX', expiration: { type: 'PX', value: slowModeMs } });
      if (ok === null) {
        const retryAfterMs = Math.max(1, await deps.redis.pTTL(slowKey));
        throw new AppError(ErrorCode.SLOW_MODE, `slow mode: one comment every ${Math.round(slowModeMs / 1000)} s`, { retryAfterMs });
      }
    }
    await deps.perIp.consume(ip);
  }

  async function checkStanding(session: Session, room: Room, minAccountAgeMs: number) {
    const s = await deps.sanctions.active(session.user.id, room.id);
    if (s.banned) throw new AppError(ErrorCode.BANNED, 'you are banned here', { until: s.until });
    if (s.muted) throw new AppError(ErrorCode.MUTED, 'you are muted here', { until: s.until });
    const age = deps.now() - Date.parse(session.user.createdAt);
    if (age < minAccountAgeMs && !STAFF_ROLES.has(session.user.role)) {
      throw new AppError(ErrorCode.ACCOUNT_TOO_NEW, 'your account is too new to comment in this room', { retryAfterMs: minAccountAgeMs - age });
    }
    return s;
  }

  function offsetFor(room: Room, input: z.output<typeof SendSchema>): number {
    if (room.status === 'scheduled') throw new AppError(ErrorCode.ROOM_NOT_LIVE, 'the premiere has not started yet');
    if (room.status === 'live') return deps.rooms.positionOf(room);
    const offset = input.offsetMs ?? 0;
    if (offset > room.durationMs) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, 'offsetMs is past the end of the video', [{ path: 'offsetMs', message: `at most ${room.durationMs}` }]);
    }
    return offset;
  }

  async function accept(session: Session, input: z.output<typeof SendSchema>, ip: string): Promise<SendResult> {
    const room = await deps.rooms.getCached(input.roomId);
    const offsetMs = offsetFor(room, input);
    const { settings, matcher } = await deps.rules.rulesFor(room.id);
    const standing = await checkStanding(session, room, settings.minAccountAgeMs);
    await checkPace(session, room, settings.slowModeMs, ip);

    const verdict = matcher.check(input.text);
    const signals = automodSignals(input.text, settings.automodLevel, Date.parse(session.user.createdAt), deps.now());
    const action = settings.automodLevel === 0 && verdict.action !== 'block' ? 'allow' : verdict.action;
    if (action === 'block') throw new AppError(ErrorCode.BLOCKED_CONTENT, 'this comment contains blocked words', { terms: verdict.hits.map((h) => h.term) });

    const reasons = [...verdict.hits.map((h) => `term:${h.action}:${h.term}`), ...signals];
    let state: DanmakuState = 'visible';
    if (standing.shadowMuted) state = 'shadow';
    else if (action === 'hold' || signals.length) state = 'held';
    const danmaku: Danmaku = {
      id: uuidv7(deps.now()),
      roomId: room.id,
      userId: session.user.id,
      userName: session.user.displayName,
      text: action === 'censor' ? verdict.censored : input.text,
      mode: input.mode,
      color: input.color,
      offsetMs,
      createdAt: new Date(deps.now()).toISOString(),
    };
    if (STAFF_ROLES.has(session.user.role)) danmaku.staff = true;
    if (state === 'held') danmaku.held = true;
    const seq = await deps.streams.append(danmaku, state, reasons);
    return { danmaku, seq };
  }

  return {
    async send(session: Session, input: z.output<typeof SendSchema>, ip: string): Promise<SendResult> {
      if (!input.nonce) return accept(session, input, ip);
      const key = nonceKey(session.user.id, input.nonce);
      const claimed = await deps.redis.set(key, 'pending', { condition: 'NX', expiration: { type: 'EX', value: NONCE_TTL_S } });
      if (claimed === null) {
        const previous = await deps.redis.get(key);
        if (previous && previous !== 'pending') return JSON.parse(previous) as SendResult;
        throw new AppError(ErrorCode.CONFLICT, 'this comment is already being sent');
      }
      try {
        const result = await accept(session, input, ip);
        await deps.redis.set(key, JSON.stringify(result), { expiration: { type: 'EX', value: NONCE_TTL_S } });
        return result;
      } catch (err) {
        await deps.redis.del(key); // a refused send may be retried with the same nonce
        throw err;
      }
    },
  };
}

export type DanmakuSender = ReturnType<typeof createDanmakuSender>;
export type { DanmakuSendInput };
