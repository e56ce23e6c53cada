import { readProc, r1, type ProcReading } from '../kit/procs.js';

/** Process spawning, pinning, health waits and /proc readings come from bench/kit; this adds the windowed CPU/RSS summary the fan-out report prints. */
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

/**
 * Samples processes every 500 ms, summed (several server processes count as one
 * server: their CPU and RSS add up); `window()` summarises the readings between two marks.
 */
export function sampleProcess(...pids: number[]) {
  const readings: ProcReading[] = [];
  let peak = 0;
  const take = (): ProcReading | null => {
    const each = pids.map((pid) => readProc(pid));
    if (each.some((r) => !r)) return null;
    const r = (each as ProcReading[]).reduce((sum, x) => ({ ...sum, cpuS: sum.cpuS + x.cpuS, rssMiB: sum.rssMiB + x.rssMiB }));
    readings.push(r);
    peak = Math.max(peak, r.rssMiB);
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
