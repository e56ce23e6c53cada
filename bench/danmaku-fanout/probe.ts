/**
 * The latency probe: the sampled viewers, in a process of their own beside the load
 * generator (forked by load.ts, so on the generator's core). The generator reads frames
 * for thousands of viewers and sends 500 danmaku a second; a sampled viewer living in
 * that same event loop waits behind all of it, and its receipt times then measure the
 * generator (its loop delay p99 reached 90 ms) as much as the server. Here a frame for
 * a sampled viewer is read as soon as the kernel wakes this small process.
 *
 * The generator asks for one viewer at a time while it ramps (every clients/sample-th
 * join), so the sampled viewers are spread over the room's join order: the server writes
 * a frame to viewers in that order, and a sample of the first to join would only ever
 * see the start of each fan-out.
 */
import { performance, monitorEventLoopDelay } from 'node:perf_hooks';
import * as hdr from 'hdr-histogram-js';
import { EioClient } from '../kit/eio.js';
import { countItems, isBatch } from './frames.js';

export type ToProbe = { type: 'connect'; url: string; roomId: string } | { type: 'measure'; on: boolean } | { type: 'collect' } | { type: 'exit' };

export interface ProbeStats {
  viewers: number;
  /** Probe viewers the server closed. */
  closed: number;
  frames: number;
  items: number;
  itemsPerViewer: number[];
  /** Send → receipt in µs, hdr-histogram compressed. */
  latencyHistogram: string;
  eventLoopDelayP99Ms: number;
  cpuPercent: number;
}

export type FromProbe = { type: 'joined'; ok: true } | { type: 'joined'; ok: false; error: string } | { type: 'stats'; stats: ProbeStats };

/** The text of a benchmark danmaku starts with its send time: `b:<ms since epoch> …`. */
const TS_RE = /"text":"b:(\d+\.\d+) /g;
export const probeNow = () => performance.timeOrigin + performance.now();
export const newLatencyHistogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });

function probe() {
  const tell = (m: FromProbe) => process.send?.(m);
  const latency = newLatencyHistogram();
  const perViewer: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 10 });
  let measuring = false;
  let frames = 0;
  let items = 0;
  let cpu0 = process.cpuUsage();
  let t0 = probeNow();
  let cpuPercent = 0;
  let closed = 0;

  async function connect(url: string, roomId: string) {
    const index = perViewer.length;
    perViewer.push(0);
    const c = await EioClient.connect(url, null, 15_000, true);
    c.onRawEvent = (data) => {
      if (!isBatch(data)) return false;
      if (!measuring) return true;
      const t = probeNow();
      frames++;
      const n = countItems(data);
      items += n;
      perViewer[index] += n;
      for (const m of data.toString().matchAll(TS_RE)) latency.recordValue(Math.max(1, Math.round((t - Number(m[1])) * 1000)));
      return true;
    };
    c.onClose = () => closed++;
    const { payload } = await c.emitWithAck('room:join', { roomId });
    if (!payload.ok) throw new Error(`room:join ${payload.error?.code}`);
  }

  process.on('disconnect', () => process.exit(0));
  process.on('message', (m: ToProbe) => {
    if (m.type === 'connect') {
      connect(m.url, m.roomId).then(
        () => tell({ type: 'joined', ok: true }),
        (err: Error) => tell({ type: 'joined', ok: false, error: err.message.slice(0, 80) }),
      );
    } else if (m.type === 'measure') {
      measuring = m.on;
      if (m.on) {
        loop.enable();
        cpu0 = process.cpuUsage();
        t0 = probeNow();
      } else {
        loop.disable();
        const cpu = process.cpuUsage(cpu0);
        cpuPercent = Math.round(((cpu.user + cpu.system) / 1000 / (probeNow() - t0)) * 1000) / 10;
      }
    } else if (m.type === 'collect') {
      tell({
        type: 'stats',
        stats: {
          viewers: perViewer.length,
          closed,
          frames,
          items,
          itemsPerViewer: perViewer,
          latencyHistogram: hdr.encodeIntoCompressedBase64(latency),
          eventLoopDelayP99Ms: Math.round(loop.percentile(99) / 1e4) / 100,
          cpuPercent,
        },
      });
    } else if (m.type === 'exit') {
      process.exit(0);
    }
  });
}

if (process.env.DANMAKU_BENCH_PROBE === '1') probe();
