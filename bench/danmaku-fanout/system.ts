import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';

/** Processes the benchmark starts, CPU pinning, health waits and /proc sampling. */

const CLK_TCK = 100;
export const cores = os.availableParallelism();
const hasTaskset = !spawnSync('taskset', ['--version']).error;
/** Server + workers on core 0 and the generator on core 1, when the machine allows it. */
export const pinning = hasTaskset && cores >= 2;

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

/** Runs `node --import tsx <entry>` pinned to `core` (when pinning works), output prefixed. */
export function spawnNode(opts: {
  name: string;
  entry: string;
  core: number;
  env: NodeJS.ProcessEnv;
  nodeArgs?: string[];
  ipc?: boolean;
}): ChildProcess {
  const nodeArgv = [...(opts.nodeArgs ?? []), '--import', 'tsx', opts.entry];
  const [cmd, args] = pinning ? ['taskset', ['-c', String(opts.core), process.execPath, ...nodeArgv]] : [process.execPath, nodeArgv];
  const stdio: StdioOptions = opts.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'];
  const child = spawn(cmd, args as string[], { env: opts.env, stdio });
  let lines = 0;
  const relay = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      if (++lines <= 40) process.stderr.write(`  [${opts.name}] ${line.slice(0, 1200)}\n`);
      else if (lines === 41) process.stderr.write(`  [${opts.name}] (further output suppressed)\n`);
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
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not become healthy within ${timeoutMs / 1000} s`);
}

export interface ProcReading {
  at: number;
  /** utime + stime in seconds. */
  cpuS: number;
  rssMiB: number;
}

export function readProc(pid: number): ProcReading | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: state is field 3, so utime (14) and stime (15) sit at 11 and 12.
    const cpuS = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { at: Date.now(), cpuS, rssMiB: rssKb / 1024 };
  } catch {
    return null;
  }
}

/** Busy and total jiffies per core from /proc/stat ('cpu' = all cores). */
export function readCoreTimes(): Record<string, { busy: number; total: number }> {
  const out: Record<string, { busy: number; total: number }> = {};
  try {
    for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
      if (!line.startsWith('cpu')) continue;
      const [name, ...f] = line.trim().split(/\s+/);
      const v = f.map(Number);
      const idle = v[3] + (v[4] ?? 0); // idle + iowait
      const total = v.slice(0, 8).reduce((a, b) => a + b, 0); // guest time is already in user
      out[name] = { busy: total - idle, total };
    }
  } catch {
    /* not Linux */
  }
  return out;
}

/** Busy % per core between two readCoreTimes() (100 = that core fully busy; 'cpu' is the machine average). */
export function coreBusy(a: ReturnType<typeof readCoreTimes>, b: ReturnType<typeof readCoreTimes>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(b)) {
    if (!a[k]) continue;
    const dt = b[k].total - a[k].total;
    out[k] = dt > 0 ? r1(((b[k].busy - a[k].busy) / dt) * 100) : 0;
  }
  return out;
}

/**
 * Waits (up to `maxS`) until the machine is nearly idle before a run: the benchmark
 * measures CPU, so a compiler or test run elsewhere would skew it. Returns the busy
 * share (in cores) of the last one-second sample.
 */
export async function waitQuiet(maxS: number, thresholdCores: number, say: (s: string) => void): Promise<number> {
  const until = Date.now() + maxS * 1000;
  for (let said = false; ; said = true) {
    const a = readCoreTimes();
    await new Promise((r) => setTimeout(r, 1_000));
    const busy = coreBusy(a, readCoreTimes());
    const busyCores = ((busy.cpu ?? 0) / 100) * Math.max(1, Object.keys(busy).length - 1);
    if (busyCores <= thresholdCores || Date.now() >= until) {
      if (busyCores > thresholdCores) say(`  ! machine still busy (${busyCores.toFixed(2)} cores used by other processes): figures will be skewed`);
      return r1(busyCores);
    }
    if (!said) say(`  machine busy (${busyCores.toFixed(2)} cores in use by other processes): waiting up to ${maxS} s for it to settle…`);
  }
}

export interface UsageSummary {
  cpuPercent: number;
  cpuPercentMedian: number;
  cpuPercentMax: number;
  rssMiBMedian: number;
  rssMiBMax: number;
  /** Largest RSS over the whole run of the process, not just the window. */
  rssMiBPeak: number;
}

const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : 0);
const r1 = (x: number) => Math.round(x * 10) / 10;

/** Samples a process every 500 ms; `window()` summarises the readings between two marks. */
export function sampleProcess(pid: number) {
  const readings: ProcReading[] = [];
  let peak = 0;
  const take = () => {
    const r = readProc(pid);
    if (r) {
      readings.push(r);
      peak = Math.max(peak, r.rssMiB);
    }
    return r;
  };
  take();
  const timer = setInterval(take, 500);
  timer.unref();
  return {
    mark: take,
    stop: () => clearInterval(timer),
    window(from: ProcReading | null, to: ProcReading | null): UsageSummary | null {
      if (!from || !to || to.at <= from.at) return null;
      const inside = readings.filter((r) => r.at >= from.at && r.at <= to.at);
      const pcts: number[] = [];
      for (let i = 1; i < inside.length; i++) {
        const dt = (inside[i].at - inside[i - 1].at) / 1000;
        if (dt > 0) pcts.push(((inside[i].cpuS - inside[i - 1].cpuS) / dt) * 100);
      }
      return {
        cpuPercent: r1(((to.cpuS - from.cpuS) / ((to.at - from.at) / 1000)) * 100),
        cpuPercentMedian: r1(median(pcts)),
        cpuPercentMax: r1(pcts.length ? Math.max(...pcts) : 0),
        rssMiBMedian: r1(median(inside.map((r) => r.rssMiB))),
        rssMiBMax: r1(inside.length ? Math.max(...inside.map((r) => r.rssMiB)) : 0),
        rssMiBPeak: r1(peak),
      };
    },
  };
}
