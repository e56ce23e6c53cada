import { Router } from 'express';
import type { Danmaku, RefusedDanmaku, RefusedDanmakuPage } from '../../../contracts/danmaku.js';
import { RefusedDanmakuId, RefusedDanmakuQuery, RefusedRetryInput } from '../../../contracts/danmaku.js';
import { ErrorCode } from '../../../contracts/errors.js';
import type { Db } from '../../db/database.js';
import { transaction } from '../../db/transaction.js';
import { AppError, notFound } from '../../errors.js';
import { requireRole } from '../../http/guards.js';
import { luaScript } from '../../redis/lua-script.js';
import type { Redis } from '../../redis/redis-client.js';
import { parseInput } from '../../validate.js';
import type { AuditEntry, AuditLog } from '../moderation/index.js';
import { parseEntry, type DanmakuStreams } from './stream.js';

/** How much of an entry's raw `d` field the list shows: enough to read, not a hand-written megabyte. */
const RAW_SHOWN = 2_000;
/** Fields the persister adds when it sets an entry aside; a retry appends the rest, as admitted. */
const SET_ASIDE_FIELDS = new Set(['entry', 'reason', 'sqlstate']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A short token (a stream id, a reason, a SQLSTATE) or null: what the audit row keeps of fields anyone could have written. */
const token = (s: string | undefined) => (s && /^[\w.-]{1,64}$/.test(s) ? s : null);

/**
 * Takes the entry out of the refused stream and appends `fields` to the persist stream,
 * in one step: nothing if the entry is no longer there (retried or discarded since),
 * so two retries at once append once. When the text was fixed, the id lookup the
 * send wrote (if still there) gets the fixed danmaku too.
 * KEYS: refused stream, persist stream, meta. ARGV: entry id, danmaku JSON or '', fields...
 */
const RETRY_SCRIPT = `
if redis.call('XDEL', KEYS[1], ARGV[1]) == 0 then return false end
local id = redis.call('XADD', KEYS[2], '*', unpack(ARGV, 3))
if ARGV[2] ~= '' then redis.call('SET', KEYS[3], ARGV[2], 'XX', 'KEEPTTL') end
return id
`;
const runRetryScript = luaScript<string | null>(RETRY_SCRIPT);

type Message = Record<string, string>;

/** The danmaku the persister would read from these fields (its `reasons` readable too), or null when it could read none. */
function readable(message: Message): Danmaku | null {
  const danmaku = parseEntry(message.d);
  if (!danmaku) return null;
  try {
    return message.reasons === undefined || Array.isArray(JSON.parse(message.reasons)) ? danmaku : null;
  } catch {
    return null;
  }
}

function show(id: string, message: Message): RefusedDanmaku {
  const raw = message.d ?? '';
  // Never half a character: a cut between two surrogates would leave a lone one.
  const end = RAW_SHOWN - (/[\ud800-\udbff]/.test(raw.charAt(RAW_SHOWN - 1)) ? 1 : 0);
  return {
    id,
    entry: message.entry ?? '',
    reason: message.reason ?? 'unknown',
    sqlstate: message.sqlstate ?? null,
    // A stream id's first part is its time in ms (past what a Date holds only when written by hand).
    refusedAt: new Date(Math.min(Number(id.split('-')[0]), 8.64e15)).toISOString(),
    danmaku: parseEntry(message.d),
    raw: raw.length > RAW_SHOWN ? raw.slice(0, end) : raw,
  };
}

/**
 * Danmaku the persister set aside in the refused stream (Postgres refused them as data,
 * or they held no danmaku), for an admin to look at: list them, send one back to the
 * persist stream (its text fixed first, if need be; it keeps its id, so the persister's
 * insert by id stays idempotent), or discard one. Each action is audited; the audit
 * row is written in a transaction committed only once Redis has done the action, so a
 * Postgres outage refuses the action and an action that finds nothing leaves no row.
 */
export function createRefusedDanmaku(deps: { redis: Redis; streams: DanmakuStreams; db: Db; audit: AuditLog }) {
  const { redis, streams } = deps;

  async function find(id: string): Promise<Message> {
    const [found] = await redis.xRange(streams.refusedKey, id, id);
    if (!found) throw notFound('set-aside danmaku');
    return found.message as Message;
  }

  function runRetry(id: string, danmaku: Danmaku, fixed: string | null, fields: string[]): Promise<string | null> {
    return runRetryScript(redis, [streams.refusedKey, streams.persistKey, streams.metaKey(danmaku.id)], [id, fixed ?? '', ...fields]);
  }

  /** Writes the audit row and runs `act` in one transaction: `act` finding nothing (null, 0: the entry is gone) rolls it back, as NOT_FOUND. */
  async function audited<T>(entry: AuditEntry, act: () => Promise<T | null | 0>): Promise<T> {
    return transaction(deps.db, async (tx) => {
      await deps.audit.recordAll([entry], tx);
      const done = await act();
      if (done === null || done === 0) throw notFound('set-aside danmaku');
      return done;
    });
  }

  function auditEntry(actorId: string, id: string, message: Message, action: 'persist_retry' | 'persist_discard', reason: string, edited = false): AuditEntry {
    const danmaku = parseEntry(message.d);
    const target = danmaku && UUID.test(danmaku.id) ? { targetType: 'danmaku', targetId: danmaku.id } : { targetType: 'refused_entry', targetId: id };
    return {
      actorId,
      action,
      ...target,
      roomId: danmaku && UUID.test(danmaku.roomId) ? danmaku.roomId : null,
      reason,
      details: { refusedId: id, entry: token(message.entry), reason: token(message.reason), sqlstate: token(message.sqlstate), ...(action === 'persist_retry' ? { edited } : {}) },
    };
  }

  return {
    /** Oldest first, `limit` at a time, after `cursor` (exclusive). */
    async list(q: { cursor?: string; limit: number }): Promise<RefusedDanmakuPage> {
      const entries = await redis.xRange(streams.refusedKey, q.cursor ? `(${q.cursor}` : '-', '+', { COUNT: q.limit + 1 });
      const page = entries.slice(0, q.limit);
      return { items: page.map((e) => show(e.id, e.message as Message)), nextCursor: entries.length > q.limit ? page[page.length - 1].id : null };
    },

    /** Back to the persist stream, its text replaced by `text` when given; CONFLICT when it holds no danmaku to store. */
    async retry(actorId: string, id: string, text?: string): Promise<{ id: string; entry: string }> {
      const message = await find(id);
      const danmaku = readable(message);
      if (!danmaku) throw new AppError(ErrorCode.CONFLICT, 'this entry holds no danmaku the persister can read, so it cannot be retried: discard it', { reason: 'unreadable' });
      const fixed = text === undefined ? null : JSON.stringify({ ...danmaku, text });
      const fields = Object.entries(message).flatMap(([k, v]) => (SET_ASIDE_FIELDS.has(k) ? [] : [k, k === 'd' && fixed ? fixed : v]));
      const why = fixed ? 'set-aside danmaku retried with its text fixed' : 'set-aside danmaku retried';
      const appended = await audited(auditEntry(actorId, id, message, 'persist_retry', why, fixed !== null), () => runRetry(id, danmaku, fixed, fields));
      return { id: danmaku.id, entry: appended };
    },

    /** Removes it for good. */
    async discard(actorId: string, id: string): Promise<void> {
      const message = await find(id);
      await audited(auditEntry(actorId, id, message, 'persist_discard', 'set-aside danmaku discarded'), () => redis.xDel(streams.refusedKey, id));
    },
  };
}

export type RefusedDanmakuAdmin = ReturnType<typeof createRefusedDanmaku>;

/** Admins' routes for the refused stream; every other role is FORBIDDEN. */
export function createRefusedRoutes(deps: { refused: RefusedDanmakuAdmin }): Router {
  const router = Router();

  router.get('/admin/danmaku/refused', async (req, res) => {
    requireRole(req, ['admin']);
    res.json(await deps.refused.list(parseInput(RefusedDanmakuQuery, req.query)));
  });

  router.post('/admin/danmaku/refused/:id/retry', async (req, res) => {
    const { user } = requireRole(req, ['admin']);
    const id = parseInput(RefusedDanmakuId, req.params.id);
    const { text } = parseInput(RefusedRetryInput, req.body ?? {});
    res.json({ retried: await deps.refused.retry(user.id, id, text) });
  });

  router.delete('/admin/danmaku/refused/:id', async (req, res) => {
    const { user } = requireRole(req, ['admin']);
    await deps.refused.discard(user.id, parseInput(RefusedDanmakuId, req.params.id));
    res.status(204).end();
  });

  return router;
}
