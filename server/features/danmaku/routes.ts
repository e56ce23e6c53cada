import { Router } from 'express';
import { DensityQuery, ReplayQuery } from '../../../contracts/danmaku.js';
import { RoomIdParam } from '../../../contracts/rooms.js';
import { ErrorCode } from '../../../contracts/errors.js';
import { AppError } from '../../errors.js';
import { parseInput } from '../../validate.js';
import type { RoomService } from '../rooms/index.js';
import type { DanmakuStore } from './store.js';

const encodeCursor = (c: { offsetMs: number; id: string }) => Buffer.from(`${c.offsetMs}:${c.id}`).toString('base64url');
function decodeCursor(raw: string): { offsetMs: number; id: string } {
  const m = /^(\d{1,9}):([0-9a-f-]{36})$/.exec(Buffer.from(raw, 'base64url').toString());
  if (!m) throw new AppError(ErrorCode.VALIDATION_FAILED, 'invalid cursor', [{ path: 'cursor', message: 'use nextCursor as given' }]);
  return { offsetMs: Number(m[1]), id: m[2] };
}

/** Replay windows and the density ("high-energy") bar; anyone may read them. */
export function createDanmakuRoutes(deps: { rooms: RoomService; store: DanmakuStore }): Router {
  const router = Router();

  router.get('/rooms/:id/danmaku', async (req, res) => {
    const room = await deps.rooms.getCached(parseInput(RoomIdParam, req.params.id));
    const q = parseInput(ReplayQuery, req.query);
    const toMs = Math.min(q.toMs ?? room.durationMs + 1, room.durationMs + 1);
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    const items = await deps.store.window(room.id, { fromMs: q.fromMs, toMs, limit: q.limit + 1, after });
    const more = items.length > q.limit;
    const page = more ? items.slice(0, q.limit) : items;
    const last = page[page.length - 1];
    // An ended premiere's windows are the same for every viewer (the client asks for whole
    // minutes), so a CDN or the browser may keep one briefly; a hide reaches them within 10 s.
    // A live room's windows still grow.
    res.set('Cache-Control', room.status === 'ended' ? 'public, max-age=10' : 'no-cache');
    res.json({ items: page, nextCursor: more && last ? encodeCursor(last) : null });
  });

  router.get('/rooms/:id/density', async (req, res) => {
    const room = await deps.rooms.getCached(parseInput(RoomIdParam, req.params.id));
    const { bucketMs } = parseInput(DensityQuery, req.query);
    const counts = new Array(Math.max(1, Math.ceil(room.durationMs / bucketMs))).fill(0);
    for (const { bucket, count } of await deps.store.density(room.id, bucketMs)) {
      if (bucket >= 0 && bucket < counts.length) counts[bucket] += count;
      else if (bucket === counts.length) counts[counts.length - 1] += count; // a comment at the very last ms
    }
    res.set('Cache-Control', 'public, max-age=5').json({ bucketMs, counts });
  });

  return router;
}
