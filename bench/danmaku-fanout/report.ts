import os from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BenchOptions, Mode } from './args.js';
import type { GeneratorResult } from './protocol.js';
import type { UsageSummary } from './system.js';
import { renderSvg } from './chart.js';

export interface ModeRun {
  mode: Mode;
  rate: number;
  generator: Omit<GeneratorResult, 'ackedIds'>;
  server: UsageSummary | null;
  workers: UsageSummary | null;
  /** Busy % per core over the window (cpu0 holds server + workers, cpu1 the generator; Redis, Postgres and anything else float). */
  coresBusy: Record<string, number>;
  /** Cores in use by other processes in the second before the run started. */
  otherCoresBusyBefore: number;
  persistence: { acked: number; stored: number; lost: number; persisterCaughtUp: boolean; persisterWaitMs: number };
}

export interface Derived {
  acceptedPerS: number;
  messagesPerS: number;
  framesPerS: number;
  itemsPerFrame: number;
  /** Messages each held viewer should have got per second: accepted, capped by the display cap in merged mode. */
  expectedPerViewerPerS: number;
  /** messages delivered / (expected per viewer × viewers held): below 1 means frames were dropped or late. */
  deliveryRatio: number;
  messagesPerServerCpuS: number;
  framesPerServerCpuS: number;
  messagesPerSystemCpuS: number;
  /** Busy CPU (% of one core) of everything but server, workers and generator: Redis, Postgres, other work on the machine. */
  otherProcessesCpuPercent: number | null;
}

export interface Target {
  name: string;
  target: string;
  actual: string;
  pass: boolean;
}

const TARGET = { clients: 5000, acceptedPerS: 500, p99Ms: 150, rssMiB: 1024, ratio: 15 };
const round = (x: number, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : 0);

function derive(run: ModeRun, capPerS: number): Derived {
  const g = run.generator;
  const s = g.measuredSeconds || 1;
  const acceptedPerS = g.acceptedOk / s;
  const messagesPerS = g.items / s;
  const framesPerS = g.frames / s;
  const serverCores = (run.server?.cpuPercent ?? 0) / 100;
  const systemCores = serverCores + (run.workers?.cpuPercent ?? 0) / 100;
  const expectedPerViewerPerS = run.mode === 'merged' ? Math.min(acceptedPerS, capPerS) : acceptedPerS;
  return {
    acceptedPerS: round(acceptedPerS),
    messagesPerS: round(messagesPerS, 0),
    framesPerS: round(framesPerS, 0),
    itemsPerFrame: round(g.items / (g.frames || 1), 2),
    expectedPerViewerPerS: round(expectedPerViewerPerS, 2),
    deliveryRatio: round(messagesPerS / (expectedPerViewerPerS * g.clientsHeldAtEnd || 1), 3),
    messagesPerServerCpuS: round(messagesPerS / (serverCores || NaN), 0),
    framesPerServerCpuS: round(framesPerS / (serverCores || NaN), 0),
    messagesPerSystemCpuS: round(messagesPerS / (systemCores || NaN), 0),
    otherProcessesCpuPercent: otherCpu(run) ?? null,
  };
}

/** Where the processes run, in words: "server + workers: core 0; generator: core 1". */
export function placement(opts: Pick<BenchOptions, 'servers' | 'serverCores' | 'loadCores'>): string {
  const servers = opts.servers > 1 ? `${opts.servers} servers` : 'server';
  const cpus = (list: string) => `${/[-,]/.test(list) ? 'cores' : 'core'} ${list}`;
  return `${servers} + workers: ${cpus(opts.serverCores)}; generator: ${cpus(opts.loadCores)}`;
}

export function buildReport(
  opts: BenchOptions,
  runs: ModeRun[],
  meta: { startedAt: string; finishedAt: string; cores: number; pinning: boolean; infrastructure: string },
) {
  const byMode = Object.fromEntries(runs.map((r) => [r.mode, { ...r, derived: derive(r, opts.capPerS) }])) as Partial<
    Record<Mode, ModeRun & { derived: Derived }>
  >;
  const merged = byMode.merged;
  const naive = byMode.naive;
  const ratio = (a?: number, b?: number) => (a && b ? round(a / b, 2) : null);
  const comparison = {
    /** The "at equal CPU" figure: delivered messages per server CPU-second, merged ÷ naive. */
    messagesPerServerCpuS: ratio(merged?.derived.messagesPerServerCpuS, naive?.derived.messagesPerServerCpuS),
    framesPerServerCpuS: ratio(merged?.derived.framesPerServerCpuS, naive?.derived.framesPerServerCpuS),
    messagesPerSystemCpuS: ratio(merged?.derived.messagesPerSystemCpuS, naive?.derived.messagesPerSystemCpuS),
  };

  const targets: Target[] = [];
  if (merged) {
    const g = merged.generator;
    const rss = Math.max(merged.server?.rssMiBPeak ?? 0, naive?.server?.rssMiBPeak ?? 0);
    targets.push(
      { name: 'clients held in one room', target: `>= ${TARGET.clients}`, actual: String(g.clientsHeldMin), pass: g.clientsHeldMin >= TARGET.clients },
      {
        name: 'danmaku accepted per second',
        target: `>= ${TARGET.acceptedPerS} (1% slack for window edges)`,
        actual: String(merged.derived.acceptedPerS),
        pass: merged.derived.acceptedPerS >= TARGET.acceptedPerS * 0.99,
      },
      { name: 'end-to-end latency p99 (ms)', target: `<= ${TARGET.p99Ms}`, actual: String(g.latencyMs.p99), pass: g.latencyMs.count > 0 && g.latencyMs.p99 <= TARGET.p99Ms },
      {
        name: 'accepted danmaku lost',
        target: '0',
        actual: String(runs.reduce((n, r) => n + r.persistence.lost, 0)),
        pass: runs.every((r) => r.persistence.lost === 0 && r.persistence.acked > 0),
      },
      { name: 'server RSS peak (MiB)', target: `<= ${TARGET.rssMiB}`, actual: String(rss), pass: rss > 0 && rss <= TARGET.rssMiB },
    );
    if (naive) {
      const r = comparison.messagesPerServerCpuS;
      targets.push({ name: 'delivered messages per server CPU-s, merged / naive', target: `>= ${TARGET.ratio}`, actual: String(r), pass: (r ?? 0) >= TARGET.ratio });
    }
  }

  const discardReasons = runs
    .filter((r) => r.generator.cpuPercent > opts.generatorCpuLimit)
    .map((r) => `${r.mode}: generator CPU ${r.generator.cpuPercent}% > ${opts.generatorCpuLimit}%`);
  if (!meta.pinning) discardReasons.push('server and generator were not pinned to separate cores');
  if (meta.infrastructure !== 'local-services') discardReasons.push('embedded PGlite / private Redis fallback: not comparable');

  const warnings: string[] = [];
  for (const r of runs) {
    const other = byMode[r.mode]!.derived.otherProcessesCpuPercent;
    if (other !== null && other > 40) warnings.push(`${r.mode}: other processes (Redis, Postgres, anything else) used ${other}% of a core during the window`);
    if (r.generator.skipped > 0) warnings.push(`${r.mode}: the generator fell behind and skipped ${r.generator.skipped} sends`);
    if (r.generator.sendersConnected < opts.senders) warnings.push(`${r.mode}: only ${r.generator.sendersConnected}/${opts.senders} senders connected`);
    if (r.generator.probe.eventLoopDelayP99Ms > 20) warnings.push(`${r.mode}: the latency probe's event-loop delay p99 ${r.generator.probe.eventLoopDelayP99Ms} ms inflates measured latency`);
    if (r.generator.probe.viewers < opts.sample) warnings.push(`${r.mode}: only ${r.generator.probe.viewers}/${opts.sample} sampled viewers joined`);
  }

  const { out: _out, profileDir: _profile, ...config } = opts;
  return {
    benchmark: 'danmaku-fanout',
    startedAt: meta.startedAt,
    finishedAt: meta.finishedAt,
    machine: { cores: meta.cores, cpuModel: os.cpus()[0]?.model ?? 'unknown', totalMemMiB: Math.round(os.totalmem() / 2 ** 20), node: process.version, platform: `${os.platform()} ${os.release()}` },
    setup: { pinning: meta.pinning ? placement(opts) : 'none', servers: opts.servers, infrastructure: meta.infrastructure, profiled: Boolean(opts.profileDir) },
    config,
    runs: byMode,
    comparison,
    targets,
    allTargetsMet: targets.length > 0 && targets.every((t) => t.pass),
    warnings,
    discarded: discardReasons.length > 0,
    discardReasons,
  };
}

export type RoundReport = ReturnType<typeof buildReport>;

/** One round in a line: the ratio, merged latency and CPU, naive CPU. */
export function roundLine(r: RoundReport): string {
  const m = r.runs.merged;
  const n = r.runs.naive;
  return [
    r.comparison.messagesPerServerCpuS !== null ? `${r.comparison.messagesPerServerCpuS}x` : null,
    m ? `merged p50/p99 ${m.generator.latencyMs.p50}/${m.generator.latencyMs.p99} ms, CPU ${m.server?.cpuPercent}%` : null,
    n ? `naive CPU ${n.server?.cpuPercent}%, ${n.derived.messagesPerServerCpuS} msgs/CPU-s` : null,
  ]
    .filter(Boolean)
    .join('; ');
}

/**
 * The round whose ratio (or, with one mode, merged p99) is the median, reported whole,
 * with every round's headline figures beside it and their medians.
 */
export function medianRound(reports: RoundReport[]) {
  const key = (r: RoundReport) => r.comparison.messagesPerServerCpuS ?? r.runs.merged?.generator.latencyMs.p99 ?? 0;
  // A discarded round (say, the generator passed its CPU limit) does not count, unless every round was.
  const valid = reports.filter((r) => !r.discarded);
  const sorted = [...(valid.length ? valid : reports)].sort((a, b) => key(a) - key(b));
  const chosen = sorted[Math.floor((sorted.length - 1) / 2)];
  const med = (xs: Array<number | null | undefined>) => {
    const v = xs.filter((x): x is number => typeof x === 'number').sort((a, b) => a - b);
    return v.length ? v[Math.floor((v.length - 1) / 2)] : null;
  };
  const rounds = reports.map((r, i) => ({
    round: i + 1,
    ratio: r.comparison.messagesPerServerCpuS,
    mergedP50Ms: r.runs.merged?.generator.latencyMs.p50 ?? null,
    mergedP99Ms: r.runs.merged?.generator.latencyMs.p99 ?? null,
    mergedServerCpuPercent: r.runs.merged?.server?.cpuPercent ?? null,
    mergedMessagesPerServerCpuS: r.runs.merged?.derived.messagesPerServerCpuS ?? null,
    naiveServerCpuPercent: r.runs.naive?.server?.cpuPercent ?? null,
    naiveMessagesPerServerCpuS: r.runs.naive?.derived.messagesPerServerCpuS ?? null,
    lost: Object.values(r.runs).reduce((n, run) => n + (run?.persistence.lost ?? 0), 0),
    discarded: r.discarded,
  }));
  const counted = rounds.filter((r) => !r.discarded || valid.length === 0);
  // Nothing accepted may be lost in any round, not just the median one.
  const targets = chosen.targets.map((t) =>
    t.name === 'accepted danmaku lost' ? { ...t, actual: String(rounds.reduce((n, r) => n + r.lost, 0)), pass: t.pass && rounds.every((r) => r.lost === 0) } : t,
  );
  return {
    ...chosen,
    roundsRun: reports.length,
    medianRoundIndex: reports.indexOf(chosen) + 1,
    rounds,
    medians: {
      ratio: med(counted.map((r) => r.ratio)),
      mergedP50Ms: med(counted.map((r) => r.mergedP50Ms)),
      mergedP99Ms: med(counted.map((r) => r.mergedP99Ms)),
      mergedMessagesPerServerCpuS: med(counted.map((r) => r.mergedMessagesPerServerCpuS)),
      naiveMessagesPerServerCpuS: med(counted.map((r) => r.naiveMessagesPerServerCpuS)),
    },
    targets,
    allTargetsMet: targets.length > 0 && targets.every((t) => t.pass),
    discarded: valid.length === 0,
    discardReasons: valid.length === 0 ? reports.flatMap((r, i) => r.discardReasons.map((reason) => (reports.length > 1 ? `round ${i + 1}: ${reason}` : reason))) : [],
    warnings: [
      ...chosen.warnings,
      ...(valid.length ? reports.flatMap((r, i) => r.discardReasons.map((reason) => `round ${i + 1} left out of the median: ${reason}`)) : []),
    ],
  };
}

export type Report = ReturnType<typeof medianRound>;

export function writeOutputs(report: Report, jsonPath: string): string[] {
  mkdirSync(dirname(jsonPath), { recursive: true });
  const svgPath = jsonPath.replace(/\.json$/, '') + '.svg';
  writeFileSync(jsonPath, JSON.stringify(report, null, 2) + '\n');
  writeFileSync(svgPath, renderSvg(report));
  return [jsonPath, svgPath];
}

/** Machine-wide busy CPU not used by server, workers or generator: Redis, Postgres, and anything else running. */
export function otherCpu(r: ModeRun): number | undefined {
  if (r.coresBusy.cpu === undefined) return undefined;
  const ours = (r.server?.cpuPercent ?? 0) + (r.workers?.cpuPercent ?? 0) + r.generator.cpuPercent + r.generator.probe.cpuPercent;
  return round(r.coresBusy.cpu * Object.keys(r.coresBusy).filter((k) => k !== 'cpu').length - ours);
}

export function printTable(report: Report) {
  const modes = (['merged', 'naive'] as const).filter((m) => report.runs[m]);
  const row = (label: string, f: (r: NonNullable<Report['runs']['merged']>) => string | number | undefined) =>
    console.log(`${label.padEnd(34)}${modes.map((m) => String(f(report.runs[m]!) ?? '-').padStart(16)).join(' ')}`);
  console.log(`\n${''.padEnd(34)}${modes.map((m) => m.padStart(16)).join(' ')}`);
  row('danmaku sent/s (target rate)', (r) => r.rate);
  row('clients held (min in window)', (r) => r.generator.clientsHeldMin);
  row('danmaku sent/s in window', (r) => round(r.generator.sent / (r.generator.measuredSeconds || 1)));
  row('danmaku accepted/s', (r) => r.derived.acceptedPerS);
  row('acks failed', (r) => JSON.stringify(r.generator.failedByCode).replace(/[{}"]/g, '') || '0');
  row('messages delivered/s', (r) => r.derived.messagesPerS);
  row('frames delivered/s', (r) => r.derived.framesPerS);
  row('delivered / expected', (r) => r.derived.deliveryRatio);
  row('latency p50 / p99 (ms)', (r) => `${r.generator.latencyMs.p50} / ${r.generator.latencyMs.p99}`);
  row('latency p99.9 / max (ms)', (r) => `${r.generator.latencyMs.p999} / ${r.generator.latencyMs.max}`);
  row('ack latency p50 / p99 (ms)', (r) => `${r.generator.ackLatencyMs.p50} / ${r.generator.ackLatencyMs.p99}`);
  row(report.config.servers > 1 ? `server CPU % x${report.config.servers} (window)` : 'server CPU % (window)', (r) => r.server?.cpuPercent);
  row(report.config.servers > 1 ? `server RSS MiB x${report.config.servers} (median / peak)` : 'server RSS MiB (median / peak)', (r) => `${r.server?.rssMiBMedian} / ${r.server?.rssMiBPeak}`);
  row('workers CPU % / RSS MiB', (r) => `${r.workers?.cpuPercent} / ${r.workers?.rssMiBMax}`);
  const coreNames = Object.keys(Object.values(report.runs)[0]?.coresBusy ?? {}).filter((k) => k !== 'cpu');
  row(`core busy % ${coreNames.length ? coreNames.join(' / ') : 'cpu0 / cpu1'}`, (r) => coreNames.map((c) => r.coresBusy[c] ?? '-').join(' / ') || '-');
  row('other processes CPU % (est.)', (r) => r.derived.otherProcessesCpuPercent ?? undefined);
  row('messages per server CPU-s', (r) => r.derived.messagesPerServerCpuS);
  row('frames per server CPU-s', (r) => r.derived.framesPerServerCpuS);
  row('generator CPU % (limit)', (r) => `${r.generator.cpuPercent} (${report.config.generatorCpuLimit})`);
  row('probe CPU % / loop delay p99 ms', (r) => `${r.generator.probe.cpuPercent} / ${r.generator.probe.eventLoopDelayP99Ms}`);
  row('acked / stored / lost', (r) => `${r.persistence.acked}/${r.persistence.stored}/${r.persistence.lost}`);
  if (report.roundsRun > 1) {
    console.log(`\n${report.roundsRun} rounds; the table is round ${report.medianRoundIndex}, the median one:`);
    for (const r of report.rounds) {
      console.log(`  round ${r.round}: ${r.ratio ?? '-'}x, merged p50/p99 ${r.mergedP50Ms}/${r.mergedP99Ms} ms at ${r.mergedServerCpuPercent}% CPU, naive ${r.naiveMessagesPerServerCpuS ?? '-'} msgs/CPU-s, lost ${r.lost}${r.discarded ? ' (discarded)' : ''}`);
    }
    const m = report.medians;
    console.log(`  medians: ${m.ratio ?? '-'}x, merged p50/p99 ${m.mergedP50Ms}/${m.mergedP99Ms} ms, merged ${m.mergedMessagesPerServerCpuS} / naive ${m.naiveMessagesPerServerCpuS ?? '-'} msgs per server CPU-s`);
  }
  if (report.comparison.messagesPerServerCpuS !== null) {
    console.log(`\nmerged / naive at equal server CPU: ${report.comparison.messagesPerServerCpuS}x messages, ${report.comparison.framesPerServerCpuS}x frames`);
  }
  console.log('\ntargets:');
  for (const t of report.targets) console.log(`  ${t.pass ? 'PASS' : 'MISS'}  ${t.name}: ${t.actual} (target ${t.target})`);
  for (const w of report.warnings) console.log(`warning: ${w}`);
  if (report.discarded) console.log(`\nDISCARDED: ${report.discardReasons.join('; ')}`);
}
