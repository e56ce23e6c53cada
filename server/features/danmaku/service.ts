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
import { AppError } from '../../errors.js';
import { uuidv7 } from '../../ids.js';
import { META_TTL_S, ROOM_STREAM_MAXLEN, type DanmakuStreams, type DanmakuState } from './stream.js';
import { createAdmitScript, type AdmitReply } from './admit-script.js';
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
  /** Danmaku one IP may send in 10 s, across accounts. */
  perIpPer10s: number;
  now: () => number;
  userIntervalMs: number;
}

const STAFF_ROLES = new Set(['moderator', 'admin', 'writer']);
const NONCE_TTL_S = 600;

/**
 * Accepting one danmaku: the checks that need no Redis run first (room, standing,
 * terms), then one script does the rest in Redis at once (admit-script.ts): pace, slow
 * mode, the per-IP window and the append, so nothing is acked until the comment is in
 * Redis. Re-sending the same nonce returns the first result, so a client may retry
 * after a timeout without creating a duplicate.
 */
export function createDanmakuSender(deps: DanmakuSendDeps) {
  const nonceKey = (userId: string, nonce: string) => deps.key('dm', 'nonce', userId, nonce);
  const runAdmit = createAdmitScript(deps.redis);

  /** Pace, slow mode and the IP window, then (mode append) the comment itself; throws the refusal. */
  async function admit(session: Session, verdict: Verdict, ip: string, nonce: string | undefined): Promise<{ dup: SendResult } | { seq: string | null }> {
    const userId = session.user.id;
    const { room, slowModeMs } = verdict;
    const slow = slowModeMs > deps.userIntervalMs && !STAFF_ROLES.has(session.user.role) ? slowModeMs : 0;
    const append = verdict.mode === 'append' ? verdict : null;
    const reply: AdmitReply = await runAdmit(
      [
        nonce ? nonceKey(userId, nonce) : '',
        deps.key('dm', 'pace', userId),
        deps.key('dm', 'slow', room.id, userId),
        deps.key('dm', 'ip', ip),
        deps.streams.persistKey,
        deps.streams.roomKey(room.id),
        // A blocked comment only spends the pace: the script stops before the keys of a comment.
        append ? deps.streams.metaKey(append.danmaku.id) : '',
        append ? deps.streams.stateKey(append.danmaku.id) : '',
      ],
      [
        deps.userIntervalMs,
        slow,
        deps.perIpPer10s,
        10_000,
        verdict.mode,
        append ? JSON.stringify(append.danmaku) : '',
        append ? append.state : '',
        append ? JSON.stringify(append.reasons) : '[]',
        ROOM_STREAM_MAXLEN,
        META_TTL_S,
        NONCE_TTL_S,
      ],
    );
    switch (reply[0]) {
      case 'dup':
        return { dup: JSON.parse(reply[1]) as SendResult };
      case 'pace':
        throw new AppError(ErrorCode.RATE_LIMITED, 'you are sending too fast', { retryAfterMs: Math.max(1, reply[1]) });
      case 'slow':
        throw new AppError(ErrorCode.SLOW_MODE, `slow mode: one comment every ${Math.round(slowModeMs / 1000)} s`, { retryAfterMs: Math.max(1, reply[1]) });
      case 'ip':
        throw new AppError(ErrorCode.RATE_LIMITED, 'too many comments from your network', { retryAfterMs: Math.max(1, reply[1]) });
      case 'consumed':
        return { seq: null };
      case 'ok':
        return { seq: reply[1] || null };
      default:
        throw new Error(`unexpected admit reply ${String(reply[0])}`);
    }
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

  /** What the checks before Redis decided: refuse outright, spend the pace of a blocked comment, or append. */
  type Verdict =
    | { room: Room; slowModeMs: number; mode: 'consume'; terms: string[] }
    | { room: Room; slowModeMs: number; mode: 'append'; danmaku: Danmaku; state: DanmakuState; reasons: string[] };

  /** Room, standing, account age, offset and terms: everything decided without Redis. Throws the refusal. */
  async function judge(session: Session, input: z.output<typeof SendSchema>): Promise<Verdict> {
    const room = await deps.rooms.getCached(input.roomId);
    const offsetMs = offsetFor(room, input);
    const { settings, matcher } = await deps.rules.rulesFor(room.id);
    const standing = await checkStanding(session, room, settings.minAccountAgeMs);
    const slowModeMs = settings.slowModeMs;

    const verdict = matcher.check(input.text);
    const signals = automodSignals(input.text, settings.automodLevel, Date.parse(session.user.createdAt), deps.now());
    const action = settings.automodLevel === 0 && verdict.action !== 'block' ? 'allow' : verdict.action;
    // A blocked comment still spends the sender's pace, as any attempt does.
    if (action === 'block') return { room, slowModeMs, mode: 'consume', terms: verdict.hits.map((h) => h.term) };

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
    return { room, slowModeMs, mode: 'append', danmaku, state, reasons };
  }

  return {
    async send(session: Session, input: z.output<typeof SendSchema>, ip: string): Promise<SendResult> {
      let verdict: Verdict;
      try {
        verdict = await judge(session, input);
      } catch (err) {
        // A refusal before Redis (a mute since, the premiere over) must not hide a comment
        // this nonce already sent. Refusals from the admission script need no such look:
        // the script answers an earlier result of the nonce before anything else.
        if (input.nonce && err instanceof AppError) {
          const previous = await deps.redis.get(nonceKey(session.user.id, input.nonce)).catch(() => null);
          if (previous) return JSON.parse(previous) as SendResult;
        }
        throw err;
      }
      const admitted = await admit(session, verdict, ip, input.nonce);
      if ('dup' in admitted) return admitted.dup;
      if (verdict.mode === 'consume') {
        throw new AppError(ErrorCode.BLOCKED_CONTENT, 'this comment contains blocked words', { terms: verdict.terms });
      }
      return { danmaku: verdict.danmaku, seq: admitted.seq };
    },
  };
}

export type DanmakuSender = ReturnType<typeof createDanmakuSender>;
export type { DanmakuSendInput };
