import { Router } from 'express';
import { z } from 'zod';
import { staffRoles } from '../../../contracts/auth.js';
import { AppealDecisionInput, AppealInput, BulkQueueInput, QueueQuery, ReportInput } from '../../../contracts/moderation.js';
import { parseInput } from '../../validate.js';
import { requireRole, requireSession } from '../../http/guards.js';
import type { Db } from '../../db/database.js';
import type { Limiter } from '../../rate-limit.js';
import type { User } from '../../../contracts/auth.js';
import type { ModerationActions } from './actions.js';
import type { Appeals } from './appeals.js';
import type { Sanctions } from './sanctions.js';
import { readQueue } from './queue.js';
import { readUserCard } from './user-card.js';
import { findUsers, UserLookupQuery } from './user-search.js';

const Id = z.uuid();

/** The review queue, bulk actions, user lookup and cards, reports from anyone, and appeals. */
export function createReviewRoutes(deps: {
  db: Db;
  actions: ModerationActions;
  appeals: Appeals;
  sanctions: Sanctions;
  reportLimit: Limiter;
  fileReport: (user: User, input: z.output<typeof ReportInput>) => Promise<{ hidden: boolean }>;
  userById: (id: string) => Promise<User>;
  now: () => number;
}): Router {
  const router = Router();

  router.get('/moderation/queue', async (req, res) => {
    requireRole(req, staffRoles);
    res.json({ items: await readQueue(deps.db, parseInput(QueueQuery, req.query)) });
  });

  router.post('/moderation/queue/bulk', async (req, res) => {
    const { user } = requireRole(req, staffRoles);
    const input = parseInput(BulkQueueInput, req.body);
    const results = [];
    for (const item of input.items) {
      const action = input.action === 'approve' ? 'approve' : item.targetType === 'danmaku' ? 'hide' : 'reject';
      try {
        await deps.actions.act(user, { ...item, action, reason: input.reason });
        results.push({ ...item, ok: true });
      } catch (err) {
        results.push({ ...item, ok: false, error: { code: (err as { code?: string }).code ?? 'INTERNAL', message: (err as Error).message } });
      }
    }
    res.json({ results });
  });

  router.get('/moderation/users', async (req, res) => {
    requireRole(req, staffRoles);
    res.json({ users: await findUsers(deps.db, parseInput(UserLookupQuery, req.query)) });
  });

  router.get('/moderation/users/:id', async (req, res) => {
    requireRole(req, staffRoles);
    const user = await deps.userById(parseInput(Id, req.params.id));
    res.json(await readUserCard({ db: deps.db, sanctions: deps.sanctions, now: deps.now() }, user));
  });

  router.post('/reports', async (req, res) => {
    const { user } = requireSession(req);
    // Only well-formed reports spend the hourly budget.
    const input = parseInput(ReportInput, req.body);
    await deps.reportLimit.consume(user.id);
    res.status(201).json({ report: { ...input, ...(await deps.fileReport(user, input)) } });
  });

  router.post('/appeals', async (req, res) => {
    const { user } = requireSession(req);
    res.status(201).json({ appeal: await deps.appeals.file(user, parseInput(AppealInput, req.body)) });
  });

  router.get('/appeals/mine', async (req, res) => {
    res.json({ appeals: await deps.appeals.mine(requireSession(req).user.id) });
  });

  router.get('/moderation/appeals', async (req, res) => {
    requireRole(req, staffRoles);
    res.json({ appeals: await deps.appeals.open() });
  });

  router.post('/moderation/appeals/:id/decision', async (req, res) => {
    const { user } = requireRole(req, staffRoles);
    res.json({ appeal: await deps.appeals.decide(user, parseInput(Id, req.params.id), parseInput(AppealDecisionInput, req.body)) });
  });

  return router;
}
