import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { otherProcessesCpu, type Usage } from '../kit/procs.js';
import type { PollLoadResult, RoundResult } from './protocol.js';
import { bars, document, lines } from '../kit/svg.js';

export interface PhaseUsage {
  seconds: number;
  server: Usage | null;
  workers: Usage | null;
  generator: Usage | null;
  /** Busy % per core (`cpu` = machine average). */
  coresBusy: Record<string, number>;
  /** CPU % of all postgres and redis-server processes on the machine (shared instances). */
  sharedServices: Record<string, number>;
}

export interface DbCheck {
  rows: number;
  okAckedWithoutRow: number;
  rowsWithoutOkAck: number;
  talliesFromRows: Record<string, number>;
  pollStatus: string | null;
  finalTallies: Record<string, number> | null;
  /** main: before the close; race: a second after the close. */
  liveCounters: Record<string, number> | null;
}

interface Inputs {
  opts: { clients: number; spreadMs: number; double: number; durationMs: number; seed: number; race: boolean };
  result: PollLoadResult;
  usage: Record<'connect' | 'vote' | 'close' | 'race' | 'ceiling', PhaseUsage | null>;
  peaks: { serverRssMiB: number; workersRssMiB: number };
  db: { main: DbCheck; race: DbCheck | null };
  meta: { startedAt: string; finishedAt: string; cores: number; pinning: boolean; busyCoresBefore: number; postgres: string; databasePoolSize: number };
}

type Check = { check: string; expected: unknown; actual: unknown; pass: boolean };

const GENERATOR_CPU_LIMIT = 70;
const sameTallies = (a: Record<string, number> | null | undefined, b: Record<string, number>) =>
  !!a && Object.keys({ ...a, ...b }).every((k) => (a[k] ?? 0) === (b[k] ?? 0));

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

/** Exactness checks of one round against the acks the clients got. */
function roundChecks(r: RoundResult, db: DbCheck, joined: number, race: boolean): Check[] {
  const checks: Check[] = [];
  const check = (name: string, expected: unknown, actual: unknown, pass: boolean) => checks.push({ check: name, expected, actual, pass });
  const ok = r.okAcks;
  const allowed = race ? ['ALREADY_VOTED', 'POLL_CLOSED'] : ['ALREADY_VOTED'];
  if (!race) {
    check('every client got an ok ack for its first vote', r.voters, ok, ok === r.voters);
    check('double submits answered ALREADY_VOTED', r.doubleSubmitters, r.errorsByCode.ALREADY_VOTED ?? 0, (r.errorsByCode.ALREADY_VOTED ?? 0) === r.doubleSubmitters);
  } else {
    check('every vote answered ok, ALREADY_VOTED or POLL_CLOSED', r.votesSent, ok + (r.errorsByCode.ALREADY_VOTED ?? 0) + (r.errorsByCode.POLL_CLOSED ?? 0), ok + (r.errorsByCode.ALREADY_VOTED ?? 0) + (r.errorsByCode.POLL_CLOSED ?? 0) === r.votesSent);
  }
  const other = Object.entries(r.errorsByCode).filter(([k]) => !allowed.includes(k));
  check(`no vote errors other than ${allowed.join(' / ')}`, {}, Object.fromEntries(other), other.length === 0);
  check('no account got two ok acks', 0, r.accountsWithTwoOkAcks, r.accountsWithTwoOkAcks === 0);
  check('vote rows in Postgres = ok acks', ok, db.rows, db.rows === ok);
  check('ok acks without a vote row', 0, db.okAckedWithoutRow, db.okAckedWithoutRow === 0);
  check('vote rows without an ok ack', 0, db.rowsWithoutOkAck, db.rowsWithoutOkAck === 0);
  check('per-option rows = per-option ok acks', r.okByOption, db.talliesFromRows, sameTallies(db.talliesFromRows, r.okByOption));
  if (!race && db.liveCounters) {
    const { _voters, ...liveTallies } = db.liveCounters;
    check('live Redis counters before close = ok acks', { _voters: ok, ...r.okByOption }, db.liveCounters, _voters === ok && sameTallies(liveTallies, r.okByOption));
  }
  check('close response total and tallies = ok acks', { total: ok, tallies: r.okByOption }, r.close, r.close.total === ok && sameTallies(r.close.tallies, r.okByOption));
  check('stored final_tallies = per-option ok acks', r.okByOption, db.finalTallies, sameTallies(db.finalTallies, r.okByOption));
  const v = r.closedPayloadVariants;
  check('every client saw the same poll:closed result', 1, v.length, v.length === 1);
  check('poll:closed total and tallies = ok acks', { total: ok, tallies: r.okByOption }, v[0] ?? null, v.length === 1 && v[0].total === ok && sameTallies(v[0].tallies, r.okByOption));
  check('GET /api/polls/:id total and tallies = ok acks', { total: ok, tallies: r.okByOption }, r.get, r.get.total === ok && sameTallies(r.get.tallies, r.okByOption));
  check('poll:closed reached every joined client', joined, r.closedReceived, r.closedReceived === joined);
  return checks;
}

function roundSummary(r: RoundResult, serverCpuS: number | null) {
  const voteS = r.voteWindowMs / 1000;
  return {
    pollId: r.pollId,
    voters: r.voters,
    doubleSubmitters: r.doubleSubmitters,
    sent: r.votesSent,
    okAcks: r.okAcks,
    errorsByCode: r.errorsByCode,
    sendWindowMs: r.sendWindowMs,
    closeAfterMs: r.closeAfterMs,
    firstSendToLastAckMs: r.voteWindowMs,
    offeredPerS: Math.round(r.votesSent / (r.sendWindowMs / 1000)),
    okAcksPerS: voteS > 0 ? Math.round(r.okAcks / voteS) : 0,
    acksPerS: voteS > 0 ? Math.round(r.votesSent / voteS) : 0,
    okVotesPerServerCpuS: serverCpuS ? Math.round(r.okAcks / serverCpuS) : null,
    ackLatencyMs: r.ackLatencyMs,
    ackLatencyMsByOutcome: r.ackLatencyMsByOutcome,
    okAcksPer100ms: r.acksPer100ms,
    pollUpdatesPerClient: r.updatesPerClient,
    pollUpdatesAfterPollClosed: r.lateUpdates,
    openRequestToPollOpenedMs: r.openFanoutMs,
    pollOpenedReceived: r.openedReceived,
    closeRequestMs: r.close.httpMs,
    pollClosedReceived: r.closedReceived,
    closeToPollClosedMs: r.closedLatencyMs,
    closedPayloadVariants: r.closedPayloadVariants,
  };
}

export function buildReport(x: Inputs) {
  const r = x.result;
  const mainChecks = roundChecks(r.main, x.db.main, r.clientsJoined, false);
  const raceChecks = r.race && x.db.race ? roundChecks(r.race, x.db.race, r.clientsJoined, true) : [];
  const general: Check[] = [{ check: 'no client disconnected', expected: 0, actual: r.disconnects, pass: r.disconnects === 0 }];
  const allExact = [...mainChecks, ...raceChecks, ...general].every((c) => c.pass);

  const genCpu = x.usage.vote?.generator?.cpuPercent ?? r.generatorCpuPercent.vote;
  const discardReasons: string[] = [];
  if (!x.meta.pinning) discardReasons.push('no CPU pinning (needs taskset and 2 cores)');
  if (genCpu > GENERATOR_CPU_LIMIT) discardReasons.push(`generator at ${genCpu} % CPU in the vote window (limit ${GENERATOR_CPU_LIMIT} %)`);
  if (r.clientsJoined < r.clientsTarget) discardReasons.push(`only ${r.clientsJoined}/${r.clientsTarget} clients joined`);
  const warnings: string[] = [];
  if (x.meta.busyCoresBefore > 0.3) warnings.push(`the machine was busy before the run (${x.meta.busyCoresBefore} cores used by other processes): figures are lower than on a quiet machine`);
  const other = otherProcessesCpu(x.usage.vote);
  if (other !== null && other > 25) warnings.push(`other processes on the machine used ${other} % of a core during the vote window (beside the server, workers, generator, Postgres and Redis): figures are lower than on a quiet machine`);
  const main = roundSummary(r.main, x.usage.vote?.server?.cpuSeconds ?? null);
  if (r.main.lateUpdates.packets || (r.race?.lateUpdates.packets ?? 0)) {
    warnings.push(`poll:update packets arrived after poll:closed (main ${r.main.lateUpdates.packets}, race ${r.race?.lateUpdates.packets ?? 0}); the web client ignores an older status, other clients may not`);
  }
  const raceLive = x.db.race?.liveCounters;
  const raceDrift = raceLive && r.race ? (raceLive._voters ?? 0) - r.race.okAcks : null;
  if (raceDrift) warnings.push(`race: the live Redis counters read ${raceLive!._voters} a second after the close, the final count is ${r.race!.okAcks} (votes racing the close incremented them after the close reset them)`);
  const sqlCeiling = r.ceiling.find((c) => c.name === 'server-sql');
  const naive = r.ceiling.find((c) => c.name === 'naive-count');

  return {
    benchmark: 'poll-votes',
    issue: '5,000 clients vote within one second: every ok ack is exactly one counted vote, the final tally equals the number of ok acks, and the time from close to poll:closed at the clients is reported with p50/p99 beside the vote throughput.',
    startedAt: x.meta.startedAt,
    finishedAt: x.meta.finishedAt,
    machine: { cores: x.meta.cores, pinning: x.meta.pinning ? 'server + workers on core 0, generator on core 1; Postgres and Redis unpinned (shared instances)' : 'none', node: process.version, postgres: x.meta.postgres },
    code: gitState(),
    config: {
      clients: x.opts.clients,
      spreadMs: x.opts.spreadMs,
      doubleSubmitShare: x.opts.double,
      pollDurationMs: x.opts.durationMs,
      options: 4,
      choiceWeights: [0.4, 0.3, 0.2, 0.1],
      seed: x.opts.seed,
      serverDatabasePoolSize: x.meta.databasePoolSize,
      accounts: 'seeded straight into the bench schema (one argon2id hash), tokens minted with the run secret: this measures voting, not sign-up',
    },
    connect: { joined: r.clientsJoined, of: r.clientsTarget, failures: r.connectFailures, seconds: r.connectSeconds, perClientMs: r.connectLatencyMs, disconnectsLater: r.disconnects },
    main,
    race: r.race ? roundSummary(r.race, null) : null,
    otherProcessesCpuPercentInVoteWindow: other,
    exactness: {
      allExact,
      main: mainChecks,
      race: raceChecks,
      general,
      database: x.db,
      raceLiveCounterDrift: raceDrift,
    },
    usage: x.usage,
    peaks: x.peaks,
    generator: { cpuPercent: r.generatorCpuPercent, eventLoopDelayP99Ms: r.eventLoopDelayP99Ms, eventLoopDelayMaxMs: r.eventLoopDelayMaxMs },
    referenceCeiling: {
      note: 'No baseline exists in the product (there is no HTTP vote route to compare with). These are the vote path\'s SQL statements run straight against Postgres from 10 connections (the server pool size), without sockets, auth, Redis or broadcasts: an upper bound for the database part. naive-count adds the COUNT a live tally would need without the Redis counters.',
      runs: r.ceiling,
      lotusShareOfSqlCeiling: sqlCeiling ? Math.round((main.okAcksPerS / sqlCeiling.perS) * 100) / 100 : null,
      redisCountersVsNaiveCount: sqlCeiling && naive ? Math.round((sqlCeiling.perS / naive.perS) * 10) / 10 : null,
    },
    verdict: { allExact, okAcksPerS: main.okAcksPerS, closeToPollClosedP50Ms: main.closeToPollClosedMs.p50, closeToPollClosedP99Ms: main.closeToPollClosedMs.p99 },
    discarded: discardReasons.length > 0,
    discardReasons,
    warnings,
  };
}

export type Report = ReturnType<typeof buildReport>;

export function printTable(rep: Report) {
  const v = rep.main;
  const u = rep.usage.vote;
  const rows: Array<[string, string]> = [
    ['clients joined', `${rep.connect.joined}/${rep.connect.of} in ${rep.connect.seconds} s`],
    ['votes sent (first + double submits)', `${v.sent} (${v.voters} + ${v.doubleSubmitters}) over ${v.sendWindowMs} ms = ${v.offeredPerS}/s offered`],
    ['ok acks / errors', `${v.okAcks} / ${JSON.stringify(v.errorsByCode)}`],
    ['first vote -> last ack', `${v.firstSendToLastAckMs} ms`],
    ['vote throughput (ok acks/s)', `${v.okAcksPerS}/s (all acks ${v.acksPerS}/s)`],
    ['ack latency p50 / p99 / max', `${v.ackLatencyMs.p50} / ${v.ackLatencyMs.p99} / ${v.ackLatencyMs.max} ms`],
    ...Object.entries(v.ackLatencyMsByOutcome).map(([k, sm]) => [`  ${k} acks: count, min / p50 / p99`, `${sm.count}, ${sm.min} / ${sm.p50} / ${sm.p99} ms`] as [string, string]),
    ['ok votes per server CPU-second', `${v.okVotesPerServerCpuS ?? '-'}`],
    ['close request (HTTP)', `${v.closeRequestMs} ms`],
    ['poll:closed received', `${v.pollClosedReceived}/${rep.connect.joined}`],
    ['close -> poll:closed p50 / p99 / max', `${v.closeToPollClosedMs.p50} / ${v.closeToPollClosedMs.p99} / ${v.closeToPollClosedMs.max} ms`],
    ['open -> poll:opened p50 / p99', `${v.openRequestToPollOpenedMs.p50} / ${v.openRequestToPollOpenedMs.p99} ms`],
    ['server CPU / RSS (vote window)', `${u?.server?.cpuPercent ?? '-'} % / ${u?.server?.rssMiBEnd ?? '-'} MiB (peak ${rep.peaks.serverRssMiB})`],
    ['workers CPU (vote window)', `${u?.workers?.cpuPercent ?? '-'} %`],
    ['postgres / redis CPU (vote window)', `${u?.sharedServices.postgres ?? '-'} % / ${u?.sharedServices['redis-server'] ?? '-'} %`],
    ['core 0 / core 1 busy (vote window)', `${u?.coresBusy.cpu0 ?? '-'} % / ${u?.coresBusy.cpu1 ?? '-'} %`],
    ['generator CPU (vote window)', `${u?.generator?.cpuPercent ?? '-'} %`],
  ];
  if (rep.race) {
    const r = rep.race;
    rows.push(
      ['race: close sent after', `${r.closeAfterMs} ms of a ${r.sendWindowMs} ms vote spread`],
      ['race: ok / errors', `${r.okAcks} / ${JSON.stringify(r.errorsByCode)}`],
      ['race: close -> poll:closed p50 / p99', `${r.closeToPollClosedMs.p50} / ${r.closeToPollClosedMs.p99} ms (close request ${r.closeRequestMs} ms)`],
    );
  }
  for (const c of rep.referenceCeiling.runs) rows.push([`SQL ceiling: ${c.name}`, `${c.perS} votes/s (p99 ${c.latencyMs.p99} ms)`]);
  const failed = [...rep.exactness.main.map((c) => ({ ...c, round: 'main' })), ...rep.exactness.race.map((c) => ({ ...c, round: 'race' })), ...rep.exactness.general.map((c) => ({ ...c, round: '' }))].filter((c) => !c.pass);
  rows.push(['exactness', failed.length ? `FAILED: ${failed.map((c) => `${c.round} ${c.check} (expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(c.actual)})`).join('; ')}` : `ALL ${rep.exactness.main.length + rep.exactness.race.length + rep.exactness.general.length} CHECKS PASS`]);
  const w = Math.max(...rows.map(([k]) => k.length));
  console.log('\n== poll votes ==');
  for (const [k, val] of rows) console.log(`  ${k.padEnd(w)}  ${val}`);
  for (const warn of rep.warnings) console.log(`  ! ${warn}`);
  if (rep.discarded) console.log(`  DISCARDED: ${rep.discardReasons.join('; ')}`);
}

export function writeOutputs(rep: Report, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'poll-votes.json');
  const svg = join(dir, 'poll-votes.svg');
  writeFileSync(json, `${JSON.stringify(rep, null, 2)}\n`);
  writeFileSync(svg, chart(rep));
  return [json, svg];
}

function chart(rep: Report): string {
  const v = rep.main;
  const c = rep.main;
  const series = v.okAcksPer100ms.map((n, i) => [(i + 1) / 10, n * 10] as [number, number]);
  const parts = [
    lines({ x: 70, y: 60, w: 330, h: 220, title: 'ok acks per second (100 ms buckets)' }, [{ name: `offered ${v.offeredPerS}/s for ${v.sendWindowMs} ms`, points: [[0, v.offeredPerS], [v.sendWindowMs / 1000, v.offeredPerS]], color: '#bbbbbb' }, { name: 'ok acks/s', points: [[0, 0], ...series] }], 'acks/s', 'seconds from the first vote'),
    bars(
      { x: 480, y: 60, w: 330, h: 220, title: 'latency (ms)' },
      [
        { label: 'ack p50', value: v.ackLatencyMs.p50, color: '#3b6ea8' },
        { label: 'ack p99', value: v.ackLatencyMs.p99, color: '#3b6ea8' },
        { label: 'closed p50', value: c.closeToPollClosedMs.p50, color: '#d9822b' },
        { label: 'closed p99', value: c.closeToPollClosedMs.p99, color: '#d9822b' },
        { label: 'closed max', value: c.closeToPollClosedMs.max, color: '#d9822b' },
      ],
      'ms',
      `close -> poll:closed at ${c.pollClosedReceived}/${rep.connect.joined} clients`,
    ),
    bars(
      { x: 890, y: 60, w: 300, h: 220, title: 'votes per second' },
      [
        { label: 'through Lotus', value: v.okAcksPerS, color: '#3b6ea8' },
        ...rep.referenceCeiling.runs.map((r, i) => ({ label: `SQL ${r.name}`, value: r.perS, color: i ? '#b94a48' : '#8c8c8c' })),
      ],
      'votes/s',
      'SQL: the vote statements straight to Postgres, 10 conns',
    ),
  ];
  const footer = `${rep.connect.joined} clients, ${v.sent} votes sent, ${v.okAcks} ok; exactness: ${rep.exactness.allExact ? 'all checks pass' : 'FAILED'}; server CPU in the vote window ${rep.usage.vote?.server?.cpuPercent ?? '-'} % of core 0; ${rep.startedAt.slice(0, 16)}Z${rep.discarded ? ' — DISCARDED' : ''}`;
  return document(1240, 360, 'Lotus poll votes: 5,000 clients vote within one second', parts, footer);
}
