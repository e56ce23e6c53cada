import { Router } from 'express';
import { z } from 'zod';
import { staffRoles } from '../../../contracts/auth.js';
import { GlobalTermsInput, ModerationActionInput, RoomSettingsInput, TermTestInput } from '../../../contracts/moderation.js';
import { RoomIdParam } from '../../../contracts/rooms.js';
import { ErrorCode } from '../../../contracts/errors.js';
import { tokenText } from '../../../contracts/text.js';
import { AppError } from '../../errors.js';
import { requireRole } from '../../http/guards.js';
import { parseInput } from '../../validate.js';
import type { RoomService } from '../rooms/index.js';
import type { ModerationActions } from './actions.js';
import { AUTOMOD_ACTOR, type AuditCursor, type AuditLog } from './audit.js';
import type { Rules } from './rules.js';

const AuditQuery = z.strictObject({
  /** An account id, or `automod` for what Lotus did by itself (term holds, spam signals, report thresholds). */
  actorId: z.union([z.uuid(), z.literal(AUTOMOD_ACTOR)]).optional(),
  targetType: z.enum(['danmaku', 'proposal', 'user']).optional(),
  targetId: tokenText(64).optional(),
  action: tokenText(32).optional(),
  before: z.iso.datetime({ offset: true }).optional(),
  /** `next` of the previous page: opaque to clients. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const CursorParts = z.tuple([z.iso.datetime(), z.uuid()]);

/** The audit page cursor travels as base64url("<at to the microsecond> <id>"). */
function encodeCursor(c: AuditCursor): string {
  return Buffer.from(`${c.at} ${c.id}`).toString('base64url');
}

function decodeCursor(raw: string): AuditCursor {
  const parts = CursorParts.safeParse(Buffer.from(raw, 'base64url').toString('utf8').split(' '));
  if (!parts.success) throw new AppError(ErrorCode.VALIDATION_FAILED, 'invalid cursor: pass the `next` of a previous page', [{ path: 'cursor', message: 'not a cursor' }]);
  return { at: parts.data[0], id: parts.data[1] };
}

/** Staff routes: actions, room rules, the global term list and its test box, the audit log. */
export function createModerationRoutes(deps: { actions: ModerationActions; rules: Rules; audit: AuditLog; rooms: RoomService }): Router {
  const router = Router();

  router.post('/moderation/actions', async (req, res) => {
    const { user } = requireRole(req, staffRoles);
    res.status(201).json({ action: await deps.actions.act(user, parseInput(ModerationActionInput, req.body)) });
  });

  router.get('/rooms/:id/settings', async (req, res) => {
    requireRole(req, staffRoles);
    const room = await deps.rooms.get(parseInput(RoomIdParam, req.params.id));
    res.json({ settings: await deps.rules.settingsOf(room.id) });
  });

  router.put('/rooms/:id/settings', async (req, res) => {
    const { user } = requireRole(req, staffRoles);
    const room = await deps.rooms.get(parseInput(RoomIdParam, req.params.id));
    const settings = await deps.rules.updateSettings(room.id, parseInput(RoomSettingsInput, req.body));
    await deps.audit.record({ actorId: user.id, action: 'room_settings', targetType: 'room', targetId: room.id, roomId: room.id, reason: 'room rules changed', details: { ...settings, blockedTerms: settings.blockedTerms.length } });
    res.json({ settings });
  });

  router.get('/moderation/terms', async (req, res) => {
    requireRole(req, staffRoles);
    res.json({ terms: await deps.rules.globalTerms() });
  });

  router.put('/moderation/terms', async (req, res) => {
    const { user } = requireRole(req, ['admin']);
    const terms = await deps.rules.setGlobalTerms(parseInput(GlobalTermsInput, req.body).terms);
    await deps.audit.record({ actorId: user.id, action: 'global_terms', targetType: 'terms', targetId: 'global', reason: 'global term list changed', details: { count: terms.length } });
    res.json({ terms });
  });

  router.post('/moderation/terms/test', async (req, res) => {
    requireRole(req, staffRoles);
    const input = parseInput(TermTestInput, req.body);
    if (input.roomId) await deps.rooms.get(input.roomId);
    res.json({ verdict: (await deps.rules.matcherFor(input.roomId ?? null)).check(input.text) });
  });

  router.get('/moderation/audit', async (req, res) => {
    requireRole(req, staffRoles);
    const { cursor, before, ...q } = parseInput(AuditQuery, req.query);
    const page = await deps.audit.list({ ...q, before: before ? new Date(before) : undefined, after: cursor ? decodeCursor(cursor) : undefined });
    res.json({ entries: page.entries, next: page.next ? encodeCursor(page.next) : null });
  });

  return router;
}
