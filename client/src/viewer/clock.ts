import type { Socket } from 'socket.io-client';

/** One clock:ping answer. */
interface PingAck {
  ok: boolean;
  t0?: number;
  serverTime?: number;
}

const SAMPLES = 5;
const PING_TIMEOUT_MS = 3_000;

/**
 * The server's clock as seen from this device. A premiere is one moment for
 * everyone, so the live position comes from the server's time, not the device's
 * (which may be minutes off). Each sync sends a few pings and keeps the one with
 * the shortest round trip: its half-way guess is the least wrong.
 */
export class ServerClock {
  private offsetMs = 0;
  private synced = false;

  /** Milliseconds since the epoch on the server, now. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  get ready(): boolean {
    return this.synced;
  }

  /** A first rough estimate from any message carrying serverTime, until pings answer. */
  roughly(serverTime: number): void {
    if (!this.synced) this.offsetMs = serverTime - Date.now();
  }

  /** Pings `samples` times in a row and adopts the best estimate; resolves false if none answered. */
  async sync(socket: Socket, samples = SAMPLES): Promise<boolean> {
    let best: { rtt: number; offset: number } | null = null;
    for (let i = 0; i < samples && socket.connected; i++) {
      const t0 = Date.now();
      const started = performance.now();
      let ack: PingAck;
      try {
        ack = (await socket.timeout(PING_TIMEOUT_MS).emitWithAck('clock:ping', { t0 })) as PingAck;
      } catch {
        continue;
      }
      const rtt = performance.now() - started;
      if (!ack.ok || typeof ack.serverTime !== 'number') continue;
      const offset = ack.serverTime - (t0 + rtt / 2);
      if (!best || rtt < best.rtt) best = { rtt, offset };
    }
    if (!best) return false;
    this.offsetMs = best.offset;
    this.synced = true;
    return true;
  }
}
