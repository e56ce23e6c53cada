import express, { type Router } from 'express';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { AuthService } from '../features/auth/index.js';
import { tokenFrom } from '../features/auth/index.js';
import { forbidden, unauthenticated } from '../errors.js';

export const DASHBOARD_PATH = '/admin/queues';

/**
 * Bull Board for admins only: job counts, failed jobs with their errors, retries. Its
 * UI needs inline scripts and styles, so this path alone gets a looser CSP.
 */
export function createQueueDashboard(deps: { auth: AuthService; queues: Queue[] }): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  // The two packages ship their own copies of the adapter interface types; they match at run time.
  createBullBoard({ queues: deps.queues.map((q) => new BullMQAdapter(q)), serverAdapter: serverAdapter as never, options: { uiConfig: { boardTitle: 'Lotus queues' } } });
  const router = express.Router();
  router.use(async (req, res, next) => {
    const session = await deps.auth.authenticate(tokenFrom({ authorization: req.headers.authorization, cookie: req.headers.cookie }));
    if (!session) return next(unauthenticated('log in as an admin'));
    if (session.user.role !== 'admin') return next(forbidden('admins only'));
    res.setHeader('Content-Security-Policy', "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline' https:; img-src 'self' data:; font-src 'self' data: https:; frame-ancestors 'none'");
    next();
  });
  router.use(serverAdapter.getRouter());
  return router;
}
