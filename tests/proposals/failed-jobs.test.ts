import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';
import { eventually, startTestWorkers } from '../support/workers.js';
import type { WorkerRuntime } from '../../workers/runtime.js';

let app: TestApp;
let workers: WorkerRuntime;
let admin: Account;

beforeAll(async () => {
  app = await startTestApp();
  workers = await startTestWorkers(app);
  admin = await createAccount(app, 'admin');
});
afterAll(async () => {
  await workers?.close();
  await app?.stop();
});

describe('proposal jobs that fail', () => {
  it('a moderation job is enqueued with exponential-backoff retries and is kept if it fails for good', async () => {
    const fan = await createAccount(app);
    const res = await app.http.post('/api/proposals').set('Authorization', fan.bearer).send({ ip: 'Jobs Saga', title: 'Retried', body: '<p>some text</p>' });
    expect(res.status).toBe(202);
    const job = await app.deps.queues.proposalModeration.getJob(`moderate-${res.body.proposal.id}`);
    expect(job?.opts).toMatchObject({ attempts: 8, backoff: { type: 'exponential' }, removeOnFail: false });
  });

  it('a bad payload fails at once, without retries, and stays visible to staff in the queue dashboard', async () => {
    for (const queue of [app.deps.queues.proposalModeration, app.deps.queues.proposalScoring]) {
      const job = await queue.add('score', { proposalId: 'not-a-proposal' });
      const failed = await eventually(async () => {
        const j = await queue.getJob(job.id!);
        // Read again once it has failed: a copy read just before holds no attempt yet.
        return j && (await j.isFailed()) && queue.getJob(job.id!);
      });
      expect(failed.attemptsMade).toBe(1);
      expect(failed.failedReason).toMatch(/bad proposal job/);
      const board = await app.http.get(`/admin/queues/api/queues?activeQueue=${queue.name}&status=failed&page=1`).set('Authorization', admin.bearer);
      expect(board.status).toBe(200);
      const shown = board.body.queues.find((q: any) => q.name === queue.name);
      expect(shown.counts.failed).toBeGreaterThanOrEqual(1);
      expect(shown.jobs.map((j: any) => j.id)).toContain(job.id);
    }
  });
});
