import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFor, isolation, startTestApp, type TestApp } from '../support/app.js';
import { createAccount } from '../support/accounts.js';
import { eventually, startTestWorkers } from '../support/workers.js';
import type { WorkerRuntime } from '../../workers/runtime.js';
import { startPgRelay, type PgRelay } from '../support/pg-relay.js';

const shared = isolation('retries');
let app: TestApp;
let workersApp: TestApp;
let workers: WorkerRuntime;
let relay: PgRelay;

beforeAll(async () => {
  app = await startTestApp({ shared });
  // The workers reach the database only through the relay; the server and the test directly.
  relay = await startPgRelay((await databaseFor(shared.DATABASE_SCHEMA)).url);
  workersApp = await startTestApp({ shared, databaseUrl: relay.url });
  workers = await startTestWorkers(workersApp);
});
afterAll(async () => {
  relay?.restore();
  await workers?.close();
  await workersApp?.stop();
  await app?.stop();
  await relay?.close();
});

describe('a proposal job while the database is away', () => {
  it('fails, is retried with backoff, and records its decision once when the database is back', { timeout: 90_000 }, async () => {
    relay.cut();
    const fan = await createAccount(app);
    const res = await app.http.post('/api/proposals').set('Authorization', fan.bearer).send({ ip: 'Retry Saga', title: 'The lighthouse keeper', body: '<p>She kept the light on for forty years.</p>' });
    expect(res.status).toBe(202);
    const id: string = res.body.proposal.id;
    const queue = app.deps.queues.proposalModeration;

    // The worker took it, could not reach Postgres, and put it back to wait for a retry.
    const waiting = await eventually(async () => {
      const job = await queue.getJob(`moderate-${id}`);
      return job && job.attemptsMade >= 1 && (await job.getState()) === 'delayed' && job;
    }, 30_000);
    expect(waiting.failedReason).toBeTruthy();
    expect((await app.http.get(`/api/proposals/${id}`).set('Authorization', fan.bearer)).body.proposal.status).toBe('pending');

    relay.restore();
    const decided = await eventually(async () => {
      const p = (await app.http.get(`/api/proposals/${id}`).set('Authorization', fan.bearer)).body.proposal;
      return p?.status !== 'pending' && p;
    }, 60_000);
    expect(decided.status).toBe('approved');
    // Read the job again once it is completed: an object fetched while it was still active
    // carries that moment's attempt count (the completion adds one).
    const job = await eventually(async () => {
      const j = await queue.getJob(`moderate-${id}`);
      return j && (await j.isCompleted()) && queue.getJob(`moderate-${id}`);
    });
    expect(job.attemptsMade).toBeGreaterThanOrEqual(2);
    const audits = await app.deps.db.pool.query(`select action from audit_log where target_type = 'proposal' and target_id = $1 and actor_id is null`, [id]);
    expect(audits.rows.map((r) => r.action)).toEqual(['approve']);
  });
});
