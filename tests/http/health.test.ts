import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { startPrivateRedis } from '../../server/redis/private-redis-server.js';
import { startEmbeddedPostgres } from '../../server/db/embedded-postgres.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());

describe('health and metrics', () => {
  it('GET /healthz answers 200 {ok, db, redis} when both are up', async () => {
    const res = await app.http.get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, db: 'up', redis: 'up' });
  });

  it('answers 503 naming redis when Redis goes down, and recovers when it is back', async () => {
    const redis = await startPrivateRedis({});
    const own = await startTestApp({ redisUrl: redis.url });
    try {
      expect((await own.http.get('/healthz')).status).toBe(200);
      await redis.stop();
      const down = await own.http.get('/healthz');
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ ok: false, db: 'up', redis: 'down' });
      // Reads that do not need Redis keep working while it is down.
      expect((await own.http.get('/api/rooms')).status).toBe(200);
    } finally {
      await own.stop();
    }
  });

  it('answers 503 naming db when Postgres goes down', async () => {
    const pg = await startEmbeddedPostgres({});
    const own = await startTestApp({ databaseUrl: pg.url });
    try {
      expect((await own.http.get('/healthz')).body.db).toBe('up');
      await pg.stop();
      const down = await own.http.get('/healthz');
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ ok: false, db: 'down', redis: 'up' });
      const rooms = await own.http.get('/api/rooms');
      expect(rooms.status).toBe(503);
      expect(rooms.body.error.code).toBe('UNAVAILABLE');
    } finally {
      await own.stop();
    }
  });

  it('GET /metrics exposes Prometheus metrics', async () => {
    await app.http.get('/api/rooms');
    const res = await app.http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('lotus_http_requests_total');
    expect(res.text).toMatch(/lotus_http_requests_total\{method="GET",route="\/api\/rooms",status="2xx"\} \d+/);
  });

  it('GET /metrics needs the metrics token when one is configured', async () => {
    const own = await startTestApp({ env: { METRICS_TOKEN: 'metrics-token-0123456789' } });
    try {
      expect((await own.http.get('/metrics')).status).toBe(401);
      expect((await own.http.get('/metrics').set('Authorization', 'Bearer metrics-token-0123456789')).status).toBe(200);
    } finally {
      await own.stop();
    }
  });
});
