import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';

/**
 * Processes a benchmark starts (pinned with taskset), health waits and /proc sampling.
 * Shared by bench/poll-votes and bench/proposals.
 */

const CLK_TCK = 100;
export const cores = os.availableParallelism();
const hasTaskset = !spawnSync('taskset', ['--version']).error;
/** System under test on core 0, load generator on core 1, when the machine allows it. */
export const pinning = hasTaskset && cores >= 2;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const r1 = (x: number) => Math.round(x * 10) / 10;
export const r2 = (x: number) => Math.round(x * 100) / 100;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** `node --import tsx <entry>` pinned to `core`, a CPU or a taskset CPU list such as "2-3" (when pinning works); its output is relayed, prefixed, up to a limit. */
export function spawnNode(opts: { name: string; entry: string; core: number | string; env: NodeJS.ProcessEnv; ipc?: boolean; nodeArgs?: string[] }): ChildProcess {
  const nodeArgv = [...(opts.nodeArgs ?? []), '--import', 'tsx', opts.entry];
  const [cmd, args] = pinning ? ['taskset', ['-c', String(opts.core), process.execPath, ...nodeArgv]] : [process.execPath, nodeArgv];
  const stdio: StdioOptions = opts.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'];
  const child = spawn(cmd, args as string[], { env: opts.env, stdio });
  let lines = 0;
  const relay = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      if (++lines <= 60) process.stderr.write(`  [${opts.name}] ${line.slice(0, 1500)}\n`);
      else if (lines === 61) process.stderr.write(`  [${opts.name}] (further output suppressed)\n`);
    }
  };
  child.stdout?.on('data', relay);
  child.stderr?.on('data', relay);
  return child;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export function stopChild(child: ChildProcess | null, graceMs = 8_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Polls `url` until it answers 200; fails early when `child` exits. */
export async function waitHealthy(url: string, child: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${url} never came up: the process exited with ${child.exitCode}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(250);
  }
  throw new Error(`${url} did not become healthy within ${timeoutMs / 1000} s`);
}

export interface ProcReading {
  at: number;
  /** utime + stime, seconds. */
  cpuS: number;
  rssMiB: number;
}

export function readProc(pid: number | undefined): ProcReading | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuS = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { at: Date.now(), cpuS, rssMiB: rssKb / 1024 };
  } catch {
    return null;
  }
}

export type CoreTimes = Record<string, { busy: number; total: number }>;

export function readCoreTimes(): CoreTimes {
  const out: CoreTimes = {};
  try {
    for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
      if (!line.startsWith('cpu')) continue;
      const [name, ...f] = line.trim().split(/\s+/);
      const v = f.map(Number);
      const idle = v[3] + (v[4] ?? 0);
      const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
      out[name] = { busy: total - idle, total };
    }
  } catch {
    /* not Linux */
  }
  return out;
}

/** Busy % per core between two readings (100 = that core fully busy; `cpu` = machine average). */
export function coreBusy(a: CoreTimes, b: CoreTimes): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(b)) {
    if (!a[k]) continue;
    const dt = b[k].total - a[k].total;
    out[k] = dt > 0 ? r1(((b[k].busy - a[k].busy) / dt) * 100) : 0;
  }
  return out;
}

/** Waits up to `maxS` for the machine to go nearly idle; returns the busy cores of the last 1 s sample. */
export async function waitQuiet(maxS: number, thresholdCores: number, say: (s: string) => void): Promise<number> {
  const until = Date.now() + maxS * 1000;
  for (let said = false; ; said = true) {
    const a = readCoreTimes();
    await sleep(1_000);
    const busy = coreBusy(a, readCoreTimes());
    const busyCores = ((busy.cpu ?? 0) / 100) * Math.max(1, Object.keys(busy).length - 1);
    if (busyCores <= thresholdCores || Date.now() >= until) {
      if (busyCores > thresholdCores) say(`  ! machine still busy (${busyCores.toFixed(2)} cores used by other processes): figures will be skewed`);
      return r2(busyCores);
    }
    if (!said) say(`  machine busy (${busyCores.toFixed(2)} cores in use by other processes): waiting up to ${maxS} s for it to settle…`);
  }
}

export interface Usage {
  /** CPU over the window, % of one core (100 = one core busy the whole time). */
  cpuPercent: number;
  cpuSeconds: number;
  rssMiBStart: number;
  rssMiBEnd: number;
  rssMiBPeak: number;
}

/**
 * Samples a process every `everyMs` for its RSS peak; `mark()` takes an exact CPU
 * reading, and `between(a, b)` turns two marks into a Usage.
 */
export function watchProcess(pid: number | undefined, everyMs = 250) {
  let peak = 0;
  const take = () => {
    const r = readProc(pid);
    if (r) peak = Math.max(peak, r.rssMiB);
    return r;
  };
  take();
  const timer = setInterval(take, everyMs);
  timer.unref();
  return {
    mark: take,
    stop: () => clearInterval(timer),
    peak: () => r1(peak),
    between(a: ProcReading | null, b: ProcReading | null): Usage | null {
      if (!a || !b || b.at <= a.at) return null;
      return {
        cpuPercent: r1(((b.cpuS - a.cpuS) / ((b.at - a.at) / 1000)) * 100),
        cpuSeconds: r2(b.cpuS - a.cpuS),
        rssMiBStart: r1(a.rssMiB),
        rssMiBEnd: r1(b.rssMiB),
        rssMiBPeak: r1(peak),
      };
    },
  };
}

/** CPU seconds of every process whose name (comm) is in `names`, by pid: Postgres backends, redis-server. */
export function cpuByName(names: string[]): Map<number, { name: string; cpuS: number }> {
  const out = new Map<number, { name: string; cpuS: number }>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return out;
  }
  for (const e of entries) {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const match = names.find((n) => name.startsWith(n));
      if (!match) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(e), { name: match, cpuS: (Number(fields[11]) + Number(fields[12])) / CLK_TCK });
    } catch {
      /* gone */
    }
  }
  return out;
}

/** CPU % (of one core) per name between two cpuByName() readings taken `ms` apart; processes that started in between count from zero. */
export function cpuByNameBetween(a: ReturnType<typeof cpuByName>, b: ReturnType<typeof cpuByName>, ms: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [pid, r] of b) {
    const before = a.get(pid)?.cpuS ?? 0;
    out[r.name] = (out[r.name] ?? 0) + (r.cpuS - before);
  }
  for (const k of Object.keys(out)) out[k] = ms > 0 ? r1((out[k] / (ms / 1000)) * 100) : 0;
  return out;
}

/**
 * CPU % (of one core) used during a window by processes that are neither ours nor the
 * shared Postgres/Redis: the machine's busy time minus everything we account for.
 */
export function otherProcessesCpu(u: { coresBusy: Record<string, number>; server: Usage | null; workers: Usage | null; generator: Usage | null; sharedServices: Record<string, number> } | null | undefined): number | null {
  if (!u || u.coresBusy.cpu === undefined) return null;
  const coreCount = Object.keys(u.coresBusy).filter((k) => k !== 'cpu').length || 1;
  const ours = (u.server?.cpuPercent ?? 0) + (u.workers?.cpuPercent ?? 0) + (u.generator?.cpuPercent ?? 0);
  const shared = Object.values(u.sharedServices).reduce((a, b) => a + b, 0);
  return r1(Math.max(0, u.coresBusy.cpu * coreCount - ours - shared));
}
