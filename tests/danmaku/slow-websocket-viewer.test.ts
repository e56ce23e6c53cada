import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Server } from 'socket.io';
import { connectSocket, type ClientSocket } from '../support/sockets.js';
import { createFrameWriter, slowViewerLimits } from '../../server/features/danmaku/frame-writer.js';
import type { LotusServer } from '../../server/realtime/types.js';

/**
 * The frame writer (what the fan-out sends every danmaku frame through) and a websocket
 * viewer that stops reading: a phone in a tunnel, a tab frozen by the OS. The viewer is a
 * real Socket.IO client whose TCP socket is paused, so the kernel's buffers fill up and
 * then the server socket's own; past `maxBufferedBytes` unsent the viewer misses frames
 * instead of the server holding them for it.
 */
let httpServer: http.Server;
let io: Server;
let url: string;
const clients: ClientSocket[] = [];

beforeAll(async () => {
  httpServer = http.createServer();
  io = new Server(httpServer);
  io.on('connection', (socket) => void socket.join('room'));
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(httpServer.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  for (const c of clients) c.close();
  await new Promise((resolve) => io.close(resolve));
});

/** The client's own TCP socket under socket.io-client and ws. */
const tcpOf = (client: ClientSocket) => (client.io.engine.transport as unknown as { ws: { _socket: net.Socket } }).ws._socket;
/** The server's TCP socket for the one connection in the room. */
const serverTcp = () => {
  const [socket] = io.of('/').sockets.values();
  return (socket.conn.transport as unknown as { socket: { _socket: net.Socket } }).socket._socket;
};
const until = async (check: () => boolean) => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(check()).toBe(true);
};

describe('a websocket viewer that stops reading', () => {
  it('misses frames once 256 KiB wait unsent, holds no more than that, and gets whole frames again when it reads', { timeout: 60_000 }, async () => {
    const viewer = await connectSocket(url);
    clients.push(viewer);
    await until(() => io.of('/').adapter.rooms.get('room')?.size === 1);
    const received: Array<{ n: number; size: number }> = [];
    viewer.on('frame', (f: { n: number; blob: string }) => received.push({ n: f.n, size: f.blob.length }));

    const writeToChannel = createFrameWriter(io as unknown as LotusServer);
    const blob = 'x'.repeat(512 * 1024);
    tcpOf(viewer).pause();
    let written = 0;
    let dropped = 0;
    let mostUnsent = 0;
    // 64 MiB at a viewer that reads nothing: far past what the kernel buffers on loopback.
    for (let n = 0; n < 128; n++) {
      const outcome = writeToChannel('room', 'frame', { n, blob });
      written += outcome.written;
      dropped += outcome.dropped;
      mostUnsent = Math.max(mostUnsent, serverTcp().writableLength);
      await new Promise((r) => setImmediate(r));
    }
    expect(written + dropped).toBe(128);
    expect(dropped).toBeGreaterThan(0);
    // What the server holds for it: the limit, plus at most the one frame that crossed it.
    expect(mostUnsent).toBeLessThanOrEqual(slowViewerLimits.maxBufferedBytes + blob.length + 64);

    tcpOf(viewer).resume();
    await until(() => received.length === written);
    // Every frame it got is whole and in order; the ones it missed are simply absent.
    expect(received.every((f) => f.size === blob.length)).toBe(true);
    expect(received.map((f) => f.n)).toEqual([...received.map((f) => f.n)].sort((a, b) => a - b));
    expect(viewer.connected).toBe(true);

    // Reading again, it gets the next frame.
    const next = new Promise<number>((resolve) => viewer.on('frame', (f: { n: number }) => f.n === 1_000 && resolve(f.n)));
    expect(writeToChannel('room', 'frame', { n: 1_000, blob: 'back' })).toEqual({ written: 1, dropped: 0 });
    expect(await next).toBe(1_000);
  });
});
