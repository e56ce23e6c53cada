import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { otherProcessesCpu, type Usage } from '../kit/procs.js';
import { summarize, type Summary } from '../kit/stats.js';
import { bars, document, lines } from '../kit/svg.js';
import type { BatchResult } from './protocol.js';
import type { Submission } from './texts.js';
import type { QueueEvent } from './queue-events.js';

export interface PhaseUsage {
  seconds: number;
  server: Usage | null;
  workers: Usage | null;
  generator: Usage | null;
  coresBusy: Record<string, number>;
  sharedServices: Record<string, number>;
}

const GENERATOR_CPU_LIMIT = 70;
const r1 = (x: number) => Math.round(x * 10) / 10;

function gitState() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'server', 'workers', 'contracts'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(3));
    return { commit, uncommittedServerFiles: dirty };
  } catch {
    return { commit: null, uncommittedServerFiles: [] };
  }
}

/** Events per one-second bucket from `start`, as [seconds, count] points. */
function series(times: number[], start: number, end: number): Array<[number, number]> {
  const n = Math.max(1, Math.ceil((end - start) / 1000));
  const out = new Array<number>(n).fill(0);
  for (const t of times) {
    const i = Math.floor((t - start) / 1000);
    if (i >= 0 && i < n) out[i]++;
  }
  return out.map((c, i) => [i + 1, c]);
}

function rate(times: number[]): number | null {
  if (times.length < 2) return null;
  const lo = Math.min(...times);
  const hi = Math.max(...times);
  return hi > lo ? r1((times.length - 1) / ((hi - lo) / 1000)) : null;
}

export function buildReport(x: {
  opts: Record<string, unknown> & { proposals: number; votes: number; concurrency: number; baseline: number; budgetS: number; franchises: string[]; shares: number[] };
  subs: Submission[];
  accountIsNew: (author: number) => boolean;
  expectedStatus: (s: Submission, authorIsNew: boolean) => string;
  phaseA: {
    submitted: BatchResult;
    drain: { left: number; waitedS: number };
    backlogAtCutoff: number;
    pendingAtCutoffMinAgeMs: number | null;
    franchiseSizes: Array<{ ip: string; n: number; signatures: number }>;
    jobMsFirstFifth: Summary;
    jobMsLastFifth: Summary;
    decisions: Array<{ id: string; status: string; reasons: string[]; ms: number | null; autos: number }>;
    usageSubmit: PhaseUsage;
    usageDrainAfterSubmit: PhaseUsage;
    usageWhole: PhaseUsage;
    start: number;
    submitEnd: number;
    end: number;
  };
  phaseB: null | {
    voted: BatchResult;
    plan: { votes: number; voters: number; proposals: number; maxVotesOnOne: number };
    okVotes: number;
    voteRows: number;
    settled: boolean;
    settleMs: number | null;
    backlogAtEnd: number;
    scoringJobMs: Summary;
    mismatches: { counts: number; scores: number; stuckApproved: number };
    scoringJobs: QueueEvent[];
    statusAfter: Record<string, number>;
    voteBurstFlags: number;
    usageVotes: PhaseUsage;
    usageWhole: PhaseUsage;
    start: number;
    votesEnd: number;
    end: number;
  };
  baselines: Array<{ concurrency: number; queued: number; decided: number; jobsCompleted: number; workersStartS: number; drainSeconds: number; jobsPerS: number | null; jobMs: Summary; scoringJobsCompleted: number; usage: PhaseUsage }>;
  moderationCompleted: QueueEvent[];
  scoringCompleted: QueueEvent[];
  failedJobs: { moderation: Array<QueueEvent & { reason: string }>; scoring: Array<QueueEvent & { reason: string }> };
  eventCounts: { moderation: Record<string, number>; scoring: Record<string, number> };
  peaks: { serverRssMiB: number; workersRssMiB: number };
  meta: { startedAt: string; finishedAt: string; cores: number; pinning: boolean; busyCoresBefore: number; postgres: string };
}) {
  const A = x.phaseA;
  const sub = A.submitted;
  const accepted = sub.status.filter((s) => s === 202).length;
  const submitS = (sub.finishedAt - sub.startedAt) / 1000;

  // Decisions by kind and expected outcome.
  const byId = new Map(A.decisions.map((d) => [d.id, d]));
  const byKind: Record<string, Record<string, number>> = {};
  const reasonsByKind: Record<string, Record<string, number>> = {};
  const reasonKey = (r: string) => (r.startsWith('duplicate:') ? 'duplicate' : r.startsWith('term:') ? r.split(':').slice(0, 2).join(':') : r);
  const flood: Record<string, { expected: string; approved: number; held: number; rejected: number; pending: number }> = {};
  let asExpected = 0;
  let decidedCount = 0;
  sub.proposalId.forEach((id, i) => {
    if (!id) return;
    const s = x.subs[i];
    const d = byId.get(id);
    const status = d?.status ?? 'missing';
    (byKind[s.kind] ??= {})[status] = (byKind[s.kind][status] ?? 0) + 1;
    for (const reason of d?.reasons ?? []) {
      const k = reasonKey(reason);
      (reasonsByKind[s.kind] ??= {})[k] = (reasonsByKind[s.kind][k] ?? 0) + 1;
    }
    const exp = x.expectedStatus(s, x.accountIsNew(s.author));
    if (status !== 'pending') decidedCount++;
    if (status === exp) {
      asExpected++;
      byKind[s.kind].asExpected = (byKind[s.kind].asExpected ?? 0) + 1;
    }
    if (s.kind === 'flood') {
      const band = s.nth! >= 20 ? 'nth 20+' : s.nth! >= 5 ? 'nth 5-19' : 'nth 1-4';
      const f = (flood[band] ??= { expected: exp, approved: 0, held: 0, rejected: 0, pending: 0 });
      if (status in f) (f as unknown as Record<string, number>)[status]++;
    }
  });
  const latencies = A.decisions.map((d) => d.ms).filter((v): v is number => v !== null).map(Number);
  const doubleDecided = A.decisions.filter((d) => d.autos > 1).length;
  const moderationA = x.moderationCompleted.filter((e) => e.t >= A.start && e.t <= A.end).map((e) => e.t);
  const scoringA = x.scoringCompleted.filter((e) => e.t >= A.start && e.t <= A.end).map((e) => e.t);
  const duringSubmit = moderationA.filter((t) => t <= A.submitEnd);
  const afterSubmit = moderationA.filter((t) => t > A.submitEnd);
  const sortedA = [...moderationA].sort((a, b) => a - b);
  const fifth = Math.floor(sortedA.length / 5);
  const firstFifthRate = fifth > 1 ? rate(sortedA.slice(0, fifth)) : null;
  const lastFifthRate = fifth > 1 ? rate(sortedA.slice(-fifth)) : null;

  const B = x.phaseB;
  const voteOk = B ? B.voted.status.filter((s) => s === 200).length : 0;
  const voteS = B ? (B.voted.finishedAt - B.voted.startedAt) / 1000 : 0;
  const scoringB = B ? B.scoringJobs.map((e) => e.t) : [];

  const [c8, c1] = [x.baselines.find((b) => b.concurrency === 8), x.baselines.find((b) => b.concurrency === 1)];

  const problems: string[] = [];
  if (A.drain.left > 0) problems.push(`moderation did not keep up: ${A.drain.left} of ${accepted} proposals still pending ${Math.round(A.drain.waitedS)} s after the last submit (moderation ${firstFifthRate ?? '-'} jobs/s in the first fifth, ${lastFifthRate ?? '-'} in the last)`);
  if (doubleDecided > 0) problems.push(`${doubleDecided} proposals have more than one automatic decision in the audit log`);
  if (x.failedJobs.moderation.length || x.failedJobs.scoring.length) problems.push(`failed jobs: moderation ${x.failedJobs.moderation.length}, scoring ${x.failedJobs.scoring.length}`);
  // Not sent (the generator's budget ran out) and refused (an answer other than 202) are different findings: report them apart.
  if (sub.issued < sub.status.length) problems.push(`${sub.status.length - sub.issued} of ${sub.status.length} submits were never sent: the generator's ${x.opts.budgetS} s budget ran out`);
  if (accepted < sub.issued) problems.push(`${sub.issued - accepted} submits sent but not answered 202, by code: ${JSON.stringify(sub.errorsByCode)}`);
  if (B) {
    if (B.voteRows !== voteOk) problems.push(`vote rows ${B.voteRows} ≠ ok votes ${voteOk}`);
    if (B.mismatches.counts) problems.push(`${B.mismatches.counts} proposals whose supporters/opponents differ from the ok votes`);
    if (!B.settled) problems.push(`scores did not settle within 60 s (${B.mismatches.scores} proposals with stale scores, ${B.mismatches.stuckApproved} over the threshold still approved)`);
    if (B.voted.issued < B.voted.status.length) problems.push(`${B.voted.status.length - B.voted.issued} of ${B.voted.status.length} votes were never sent: the generator's ${x.opts.budgetS} s budget ran out`);
    if (voteOk < B.voted.issued) problems.push(`${B.voted.issued - voteOk} votes sent but not answered 200, by code: ${JSON.stringify(B.voted.errorsByCode)}`);
  }
  for (const b of x.baselines) if (b.decided < b.queued) problems.push(`baseline c${b.concurrency}: ${b.queued - b.decided} proposals still pending`);

  const phases: Array<[string, PhaseUsage | undefined]> = [
    ['A submit', A.usageSubmit],
    ['B votes', B?.usageVotes],
    ...x.baselines.map((b) => [`C drain c${b.concurrency}`, b.usage] as [string, PhaseUsage]),
  ];
  const discardReasons: string[] = [];
  if (!x.meta.pinning) discardReasons.push('no CPU pinning (needs taskset and 2 cores)');
  for (const [name, u] of phases) {
    const g = u?.generator?.cpuPercent ?? 0;
    if (g > GENERATOR_CPU_LIMIT) discardReasons.push(`generator at ${g} % CPU in ${name} (limit ${GENERATOR_CPU_LIMIT} %)`);
  }
  const warnings: string[] = [];
  if (x.meta.busyCoresBefore > 0.3) warnings.push(`the machine was busy before the run (${x.meta.busyCoresBefore} cores used by other processes)`);
  const otherCpu = Object.fromEntries(phases.map(([name, u]) => [name, otherProcessesCpu(u)]));
  for (const [name, v] of Object.entries(otherCpu)) if (v !== null && v > 25) warnings.push(`other processes on the machine used ${v} % of a core during ${name}: figures are lower than on a quiet machine`);

  return {
    benchmark: 'proposals',
    issue: '10,000 proposals through moderation and scoring: jobs per second per worker process and submit-to-decision latency p50/p99, written to a file and shown in the README.',
    startedAt: x.meta.startedAt,
    finishedAt: x.meta.finishedAt,
    machine: { cores: x.meta.cores, pinning: x.meta.pinning ? 'server + one workers process on core 0, generator on core 1; Postgres and Redis unpinned (shared instances)' : 'none', node: process.version, postgres: x.meta.postgres },
    code: gitState(),
    config: {
      ...x.opts,
      accounts: 'seeded straight into the bench schema (one argon2id hash), tokens minted with the run secret: this measures proposals, not sign-up',
      workerProcesses: 1,
      workersConcurrency: 'A and B: 8 (default); C: 8, then 1',
    },
    submit: {
      proposals: sub.status.length,
      sent: sub.issued,
      notSent: sub.status.length - sub.issued,
      accepted202: accepted,
      /** Sent but answered something other than 2xx, by HTTP status and error code (or a network error). */
      refusedByCode: sub.errorsByCode,
      seconds: r1(submitS),
      perS: r1(accepted / submitS),
      latencyMs: sub.latencyMs,
    },
    moderation: {
      jobsCompleted: moderationA.length,
      decided: decidedCount,
      stillPending: A.drain.left,
      drainSecondsAfterSubmit: r1(A.drain.waitedS),
      jobsPerSPerWorkerProcess: rate(moderationA),
      jobsPerSWhileSubmitting: duringSubmit.length > 1 ? r1(duringSubmit.length / ((A.submitEnd - Math.min(...duringSubmit)) / 1000)) : null,
      jobsPerSAfterSubmit: rate(afterSubmit),
      jobsPerSFirstFifth: firstFifthRate,
      jobsPerSLastFifth: lastFifthRate,
      jobMsFirstFifth: A.jobMsFirstFifth,
      jobMsLastFifth: A.jobMsLastFifth,
      franchiseSizesAtCutoff: A.franchiseSizes,
      backlogAtCutoff: A.backlogAtCutoff,
      secondsToDrainBacklogAtLastRate: lastFifthRate && A.drain.left ? Math.round(A.drain.left / lastFifthRate) : 0,
      submitToDecisionMs: summarize(latencies),
      undecidedAtCutoff: { count: A.drain.left, youngestAgeMs: A.pendingAtCutoffMinAgeMs },
      latencyNote: 'audit_log.at (the decision transaction) − proposals.created_at (the insert transaction), both on the Postgres clock, over the proposals decided before the cut-off; the undecided ones were all older than youngestAgeMs, so the true p99 is at least that when any are left. In a burst the latency is mostly the wait in the queue.',
      decisionsByKind: byKind,
      reasonsByKind,
      decidedAsTheRulesImply: { count: asExpected, of: decidedCount },
      flooders: flood,
      proposalsDecidedTwice: doubleDecided,
    },
    scoringDuringModeration: { jobsCompleted: scoringA.length, jobsPerS: rate(scoringA) },
    votes: B
      ? {
          planned: B.plan,
          ok: voteOk,
          notSent: B.voted.status.length - B.voted.issued,
          refusedByCode: B.voted.errorsByCode,
          seconds: r1(voteS),
          perS: r1(voteOk / voteS),
          latencyMs: B.voted.latencyMs,
          voteRowsInPostgres: B.voteRows,
          proposalsWithWrongCounts: B.mismatches.counts,
          scoringJobsCompleted: scoringB.length,
          scoringJobsPerS: rate(scoringB),
          votesPerScoringJob: scoringB.length ? r1(voteOk / scoringB.length) : null,
          scoringJobMs: B.scoringJobMs,
          scoringBacklogAtEnd: B.backlogAtEnd,
          scoresSettled: B.settled,
          lastVoteToScoresSettledMs: B.settleMs,
          statusAfter: B.statusAfter,
          voteBurstFlags: B.voteBurstFlags,
        }
      : null,
    baseline: {
      what: 'the same moderation pipeline draining a pre-filled queue (proposals submitted while the workers were stopped, fresh franchises of the same sizes), one workers process on core 0, WORKERS_CONCURRENCY=8 (default) vs 1',
      runs: x.baselines.map(({ usage, ...b }) => ({ ...b, workersCpuPercent: usage.workers?.cpuPercent ?? null, serverCpuPercent: usage.server?.cpuPercent ?? null, postgresCpuPercent: usage.sharedServices.postgres ?? null })),
      concurrency8Over1: c8?.jobsPerS && c1?.jobsPerS ? Math.round((c8.jobsPerS / c1.jobsPerS) * 100) / 100 : null,
    },
    usage: Object.fromEntries([
      ['A submit', A.usageSubmit],
      ['A drain after submit', A.usageDrainAfterSubmit],
      ['A whole', A.usageWhole],
      ['B votes', B?.usageVotes ?? null],
      ['B votes + settle', B?.usageWhole ?? null],
      ...x.baselines.map((b) => [`C drain c${b.concurrency}`, b.usage]),
    ]),
    peaks: x.peaks,
    jobs: { failed: x.failedJobs, queueEventCounts: x.eventCounts },
    charts: {
      phaseAPerSecond: {
        submits: series(sub.answeredAt.filter((t) => t > 0), A.start, A.end),
        moderation: series(moderationA, A.start, A.end),
        scoring: series(scoringA, A.start, A.end),
      },
    },
    otherProcessesCpuPercent: otherCpu,
    problems,
    discarded: discardReasons.length > 0,
    discardReasons,
    warnings,
  };
}

export type Report = ReturnType<typeof buildReport>;

export function printTable(rep: Report) {
  const m = rep.moderation;
  const v = rep.votes;
  const rows: Array<[string, string]> = [
    ['submits answered 202', `${rep.submit.accepted202}/${rep.submit.proposals} in ${rep.submit.seconds} s = ${rep.submit.perS}/s (p50 ${rep.submit.latencyMs.p50} ms, p99 ${rep.submit.latencyMs.p99} ms)`],
    ['submits not sent / refused', `${rep.submit.notSent} not sent (budget); refused by code ${JSON.stringify(rep.submit.refusedByCode)}`],
    ['moderation jobs/s (1 workers process)', `${m.jobsPerSPerWorkerProcess ?? '-'} overall; ${m.jobsPerSWhileSubmitting ?? '-'} while submits ran, ${m.jobsPerSAfterSubmit ?? '-'} after`],
    ['moderation jobs/s first / last fifth', `${m.jobsPerSFirstFifth ?? '-'} / ${m.jobsPerSLastFifth ?? '-'} (job p50 ${m.jobMsFirstFifth.p50} ms -> ${m.jobMsLastFifth.p50} ms)`],
    ['decided / still pending', `${m.decided} / ${m.stillPending} (cut off ${m.drainSecondsAfterSubmit} s after the last submit${m.stillPending ? `; ~${m.secondsToDrainBacklogAtLastRate} s more at the last rate` : ''})`],
    ['submit -> decision p50 / p99 / max', `${m.submitToDecisionMs.p50} / ${m.submitToDecisionMs.p99} / ${m.submitToDecisionMs.max} ms${m.undecidedAtCutoff.count ? ` (decided ones only; ${m.undecidedAtCutoff.count} undecided, all older than ${Math.round((m.undecidedAtCutoff.youngestAgeMs ?? 0) / 1000)} s)` : ''}`],
    ['decided as the rules imply', `${m.decidedAsTheRulesImply.count}/${m.decidedAsTheRulesImply.of}`],
    ['scoring jobs during moderation', `${rep.scoringDuringModeration.jobsCompleted} (${rep.scoringDuringModeration.jobsPerS ?? '-'}/s)`],
  ];
  if (v) {
    rows.push(
      ['votes answered 200', `${v.ok}/${v.planned.votes} in ${v.seconds} s = ${v.perS}/s (p50 ${v.latencyMs.p50} ms, p99 ${v.latencyMs.p99} ms)`],
      ['scoring jobs in the vote phase', `${v.scoringJobsCompleted} (${v.scoringJobsPerS ?? '-'}/s, ${v.votesPerScoringJob ?? '-'} votes per job)`],
      ['last vote -> scores settled', v.scoresSettled ? `${v.lastVoteToScoresSettledMs} ms` : 'NOT SETTLED'],
      ['vote rows / ok votes / wrong counts', `${v.voteRowsInPostgres} / ${v.ok} / ${v.proposalsWithWrongCounts}`],
    );
  }
  for (const b of rep.baseline.runs) rows.push([`baseline drain, concurrency ${b.concurrency}`, `${b.jobsPerS ?? '-'} jobs/s (${b.decided}/${b.queued} in ${b.drainSeconds} s; workers CPU ${b.workersCpuPercent ?? '-'} %, postgres ${b.postgresCpuPercent ?? '-'} %)`]);
  if (rep.baseline.concurrency8Over1 !== null) rows.push(['concurrency 8 ÷ 1', `${rep.baseline.concurrency8Over1}×`]);
  const u = rep.usage['A submit'] as { server: Usage | null; workers: Usage | null; generator: Usage | null; sharedServices: Record<string, number> } | null;
  rows.push(['CPU during submits: server / workers / pg / redis / gen', `${u?.server?.cpuPercent ?? '-'} / ${u?.workers?.cpuPercent ?? '-'} / ${u?.sharedServices.postgres ?? '-'} / ${u?.sharedServices['redis-server'] ?? '-'} / ${u?.generator?.cpuPercent ?? '-'} %`]);
  const d = rep.usage['A drain after submit'] as typeof u;
  rows.push(['CPU draining after submits: server / workers / pg', `${d?.server?.cpuPercent ?? '-'} / ${d?.workers?.cpuPercent ?? '-'} / ${d?.sharedServices.postgres ?? '-'} %`]);
  rows.push(['problems', rep.problems.length ? rep.problems.join('; ') : 'none']);
  const w = Math.max(...rows.map(([k]) => k.length));
  console.log('\n== proposals ==');
  for (const [k, val] of rows) console.log(`  ${k.padEnd(w)}  ${val}`);
  for (const warn of rep.warnings) console.log(`  ! ${warn}`);
  if (rep.discarded) console.log(`  DISCARDED: ${rep.discardReasons.join('; ')}`);
}

export function writeOutputs(rep: Report, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'proposals.json');
  const svg = join(dir, 'proposals.svg');
  writeFileSync(json, `${JSON.stringify(rep, null, 2)}\n`);
  writeFileSync(svg, chart(rep));
  return [json, svg];
}

function chart(rep: Report): string {
  const c = rep.charts.phaseAPerSecond;
  const m = rep.moderation;
  const parts = [
    lines(
      { x: 70, y: 60, w: 420, h: 230, title: `A: per second (${rep.submit.proposals.toLocaleString('en-US')} submitted at once)` },
      [
        { name: 'submits answered 202', points: c.submits },
        { name: 'moderation jobs done', points: c.moderation },
        { name: 'scoring jobs done', points: c.scoring },
      ],
      'per second',
      'seconds from the first submit',
    ),
    bars(
      { x: 570, y: 60, w: 300, h: 230, title: 'latency (ms)' },
      [
        { label: 'submit p50', value: rep.submit.latencyMs.p50, color: '#3b6ea8' },
        { label: 'submit p99', value: rep.submit.latencyMs.p99, color: '#3b6ea8' },
        { label: 'decision p50', value: m.submitToDecisionMs.p50, color: '#d9822b' },
        { label: 'decision p99', value: m.submitToDecisionMs.p99, color: '#d9822b' },
      ],
      'ms',
      'decision = submit -> automatic decision (queue wait included)',
    ),
    bars(
      { x: 950, y: 60, w: 280, h: 230, title: 'moderation jobs/s, one workers process' },
      [
        { label: 'A overall', value: m.jobsPerSPerWorkerProcess ?? 0, color: '#3b6ea8' },
        ...rep.baseline.runs.map((b) => ({ label: `drain c=${b.concurrency}`, value: b.jobsPerS ?? 0, color: b.concurrency === 1 ? '#8c8c8c' : '#5a9e5a' })),
      ],
      'jobs/s',
      rep.baseline.concurrency8Over1 !== null ? `concurrency 8 ÷ 1 = ${rep.baseline.concurrency8Over1}×` : undefined,
    ),
  ];
  const footer = `${rep.submit.accepted202} proposals, ${m.decided} decided, ${rep.votes ? `${rep.votes.ok} votes, scores ${rep.votes.scoresSettled ? `settled ${rep.votes.lastVoteToScoresSettledMs} ms after the last vote` : 'NOT settled'}` : 'no votes'}; problems: ${rep.problems.length ? rep.problems.length : 'none'}; ${rep.startedAt.slice(0, 16)}Z${rep.discarded ? ' — DISCARDED' : ''}`;
  return document(1280, 370, 'Lotus proposals: moderation and scoring', parts, footer);
}
