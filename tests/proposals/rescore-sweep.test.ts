import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestApp, type TestApp } from '../support/app.js';
import { createAccount, login, type Account } from '../support/accounts.js';
import { eventually, startTestWorkers } from '../support/workers.js';
import type { WorkerRuntime } from '../../workers/runtime.js';
import { ScoringJobName } from '../../contracts/jobs.js';
import { hotScore, wilsonLowerBound } from '../../server/features/proposals/scoring.js';

let app: TestApp;
let workers: WorkerRuntime;

async function approvedWithAVote(ip: string): Promise<{ id: string; author: Account }> {
  const author = await createAccount(app);
  const words = Array.from({ length: 12 }, () => Math.random().toString(36).slice(2, 8)).join(' ');
  const res = await app.http.post('/api/proposals').set('Authorization', author.bearer).send({ ip, title: `In ${ip}`, body: `<p>${words}</p>` });
  const id = res.body.proposal.id;
  await eventually(async () => (await app.http.get(`/api/proposals/${id}`)).body.proposal?.status === 'approved');
  expect((await app.http.post(`/api/proposals/${id}/vote`).set('Authorization', (await createAccount(app)).bearer).send({ value: 1 })).status).toBe(200);
  await eventually(async () => (await app.http.get(`/api/proposals/${id}`)).body.proposal.scores.top > 0);
  return { id, author };
}

beforeAll(async () => {
  app = await startTestApp();
  workers = await startTestWorkers(app);
});
afterAll(async () => {
  await workers?.close();
  await app?.stop();
});

describe('the rescore-active sweep', () => {
  it('is a repeatable job on the proposal-scoring queue, every five minutes', async () => {
    const scheduler = await app.deps.queues.proposalScoring.getJobScheduler(ScoringJobName.rescoreActive);
    expect(scheduler).toMatchObject({ every: 300_000 });
  });

  it('rescores active proposals whose scores lag, moves those at a lowered threshold into review, and leaves the rest alone', async () => {
    const lagging = await approvedWithAVote('Sweep Saga');
    const fine = await approvedWithAVote('Steady Saga');
    // A scoring job lost for good, and an admin lowering the franchise's threshold afterwards.
    await app.deps.db.pool.query('update proposals set score_top = 0, score_hot = 0 where id = $1', [lagging.id]);
    const admin = await login(app, ADMIN.handle, ADMIN.password);
    await app.http.put(`/api/ips/${encodeURIComponent('Sweep Saga')}/settings`).set('Authorization', `Bearer ${admin.token}`).send({ supportThreshold: 1 }).expect(200);

    const job = await app.deps.queues.proposalScoring.add(ScoringJobName.rescoreActive, {}, { removeOnComplete: false });
    const done = await eventually(async () => {
      const j = await app.deps.queues.proposalScoring.getJob(job.id!);
      return j?.finishedOn ? j : null;
    });
    expect(done.returnvalue).toEqual({ checked: 2, rescored: 1 });

    const after = (await app.http.get(`/api/proposals/${lagging.id}`)).body.proposal;
    expect(after.status).toBe('in_review');
    expect(after.scores.top).toBeCloseTo(wilsonLowerBound(1, 0), 9);
    expect(after.scores.hot).toBeCloseTo(hotScore(1, 0, Date.parse(after.createdAt)), 6);
    expect((await app.http.get(`/api/proposals/${fine.id}`)).body.proposal.status).toBe('approved');
  });
});
