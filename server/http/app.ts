import express, { type Router } from 'express';
import helmet from 'helmet';
import cors from 'cors';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.js';
import type { AuthService } from '../features/auth/index.js';
import { tokenFrom } from '../features/auth/index.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { createHealthRoutes } from './health.js';
import { createStaticClient } from './static-client.js';

export interface HttpFeatures {
  auth: AuthService;
  /** Feature routers mounted under /api. */
  apiRoutes: Router[];
  /** Other routers with their own paths (the admins' queue dashboard). */
  mounts?: Array<{ path: string; router: Router }>;
}

/** The Express app: security headers, parsing, sessions, feature routes, one error shape. */
export function createApp(deps: Deps, features: HttpFeatures): express.Express {
  const { config, log, metrics } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  app.set('query parser', 'simple');

  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          mediaSrc: ["'self'", 'blob:', 'https:'],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          fontSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: config.secureCookies ? [] : null,
        },
      },
      hsts: config.secureCookies,
    }),
  );
  app.use(
    pinoHttp({
      logger: log,
      genReqId: (req) => (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || randomUUID(),
      // Only method, path and status: never headers with tokens, never bodies.
      serializers: {
        req: (req) => ({ id: req.id, method: req.method, url: req.url?.split('?')[0] }),
        res: (res) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
    }),
  );
  app.use((req, res, next) => {
    const end = metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      end({ route });
      metrics.httpRequests.inc({ method: req.method, route, status: `${Math.floor(res.statusCode / 100)}xx` });
    });
    next();
  });

  app.use(createHealthRoutes({ db: deps.db, redis: deps.redis, metrics, metricsToken: config.METRICS_TOKEN }));

  const api = express.Router();
  api.use(cors({ origin: config.CORS_ORIGINS.length ? config.CORS_ORIGINS : false, credentials: true }));
  api.use(express.json({ limit: config.JSON_BODY_LIMIT, strict: true, type: ['application/json', 'application/*+json'] }));
  api.use(async (req, _res, next) => {
    const token = tokenFrom({ authorization: req.headers.authorization, cookie: req.headers.cookie });
    req.session = await features.auth.authenticate(token);
    next();
  });
  for (const routes of features.apiRoutes) api.use(routes);
  api.use(notFoundHandler);
  app.use('/api', api);
  for (const m of features.mounts ?? []) app.use(m.path, m.router);

  // Range requests work (express.static), so the player can seek.
  app.use('/media', express.static(config.MEDIA_DIR, { index: false, maxAge: '1d', fallthrough: true }));

  const client = createStaticClient(config.CLIENT_DIST_DIR);
  if (client) app.use(client);
  app.use(notFoundHandler);
  app.use(errorHandler(log));
  return app;
}
