import { Router } from 'express';
import type { Database } from '../db/database.js';
import { pingRedis, type Redis } from '../redis/redis-client.js';
import type { Metrics } from '../metrics.js';
import { AppError } from '../errors.js';
import { ErrorCode } from '../../contracts/errors.js';

/** /healthz for load balancers and /metrics for Prometheus. */
export function createHealthRoutes(deps: { db: Database; redis: Redis; metrics: Metrics; metricsToken?: string }): Router {
  const router = Router();

  router.get('/healthz', async (_req, res) => {
    const [dbUp, redisUp] = await Promise.all([deps.db.ping(), pingRedis(deps.redis)]);
    const body = { ok: dbUp && redisUp, db: dbUp ? 'up' : 'down', redis: redisUp ? 'up' : 'down' };
    res.status(body.ok ? 200 : 503).set('Cache-Control', 'no-store').json(body);
  });

  router.get('/metrics', async (req, res) => {
    if (deps.metricsToken && req.headers.authorization !== `Bearer ${deps.metricsToken}`) {
      throw new AppError(ErrorCode.UNAUTHENTICATED, 'metrics need the metrics token');
    }
    res.set('Content-Type', deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  return router;
}
