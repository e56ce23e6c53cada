import type { Socket as NetSocket } from 'node:net';
import type { LotusServer } from '../../realtime/types.js';

/** What a broadcast did: frames written, and frames skipped because the viewer was not reading. */
export interface FrameOutcome {
  written: number;
  dropped: number;
}

const WS_OPEN = 1;

/** One unmasked, final WebSocket text frame (RFC 6455 §5.2), as a server sends it. */
export function textFrame(payload: Buffer): Buffer {
  const n = payload.length;
  const headerLength = n < 126 ? 2 : n < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + n);
  frame[0] = 0x81; // FIN + text
  if (n < 126) frame[1] = n;
  else if (n < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(n), 2);
  }
  payload.copy(frame, headerLength);
  return frame;
}

/** The parts of Engine.IO's websocket transport this writer reads (not in its public types). */
interface EngineTransport {
  name: string;
  socket?: { readyState: number; _socket?: NetSocket };
}

/** When a viewer counts as not reading. */
export interface SlowViewerLimits {
  /** Unsent bytes on a websocket viewer's TCP socket. */
  maxBufferedBytes: number;
  /** Packets waiting for a long-polling viewer's next GET. */
  maxQueuedPackets: number;
}

/** The fan-out's defaults: 256 KiB unsent, or 20 packets (two seconds of frames) waiting. */
export const slowViewerLimits: SlowViewerLimits = { maxBufferedBytes: 256 * 1024, maxQueuedPackets: 20 };

/**
 * Writes one event to every local socket of a channel as a single pre-built WebSocket
 * frame. Socket.IO's volatile broadcast goes through Engine.IO's per-socket packet
 * queue for every viewer and every tick; for the danmaku fan-out (thousands of viewers,
 * ten frames a second) that bookkeeping was most of the server's CPU, so the frame is
 * encoded once (Socket.IO packet, Engine.IO message, WebSocket framing) and appended to
 * each viewer's TCP socket.
 *
 * A viewer whose socket already holds `maxBufferedBytes` unsent is not reading: it
 * misses this frame (counted in `dropped`) instead of queueing without bound. Viewers on
 * the long-polling fallback get an ordinary emit, which waits in Engine.IO's buffer for
 * their next GET (a volatile one would be lost whenever it fell between two GETs); one
 * with `maxQueuedPackets` already waiting is not polling and misses it. Whole frames are appended,
 * so they never interleave with Engine.IO's own frames on the same socket (the server
 * runs with per-message deflate off, so ws writes every frame at once).
 */
export function createFrameWriter(io: LotusServer, limits: SlowViewerLimits = slowViewerLimits) {
  const nsp = io.of('/');
  return function writeToChannel(channel: string, event: string, payload: unknown): FrameOutcome {
    const outcome = { written: 0, dropped: 0 };
    const ids = nsp.adapter.rooms.get(channel);
    if (!ids?.size) return outcome;
    // Engine.IO message (4) carrying a Socket.IO event (2) on the main namespace.
    const frame = textFrame(Buffer.from(`42${JSON.stringify([event, payload])}`));
    for (const id of ids) {
      const socket = nsp.sockets.get(id);
      if (!socket) continue;
      const transport = socket.conn.transport as unknown as EngineTransport;
      const raw = transport.name === 'websocket' && transport.socket?.readyState === WS_OPEN ? transport.socket._socket : undefined;
      if (!raw) {
        if ((socket.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length >= limits.maxQueuedPackets) {
          outcome.dropped++;
          continue;
        }
        (socket.emit as (ev: string, ...args: unknown[]) => boolean)(event, payload);
        outcome.written++;
        continue;
      }
      if (raw.writableLength > limits.maxBufferedBytes) {
        outcome.dropped++;
        continue;
      }
      raw.write(frame);
      outcome.written++;
    }
    return outcome;
  };
}
