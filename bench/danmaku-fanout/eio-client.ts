import WebSocket from 'ws';

/**
 * A light Socket.IO 4 client: one raw `ws` socket speaking Engine.IO v4 over the
 * websocket transport, enough for thousands per process. It answers pings, connects
 * to the main namespace (with an auth object), emits with acks, and hands
 * `danmaku:batch` frames to `onBatch` as raw bytes so a viewer can count them
 * without decoding.
 *
 *   server: 0{"sid",...} (open)   client: 40 or 40{"token":...}   server: 40{"sid",...}
 *   ping 2 -> pong 3; event 42["ev",data]; emit with ack 42N["ev",data] -> 43N[response]
 */
const BATCH_TAG = Buffer.from('"danmaku:batch"');
const ID_TAG = Buffer.from('"id":');

/** Items in a batch frame, counted as occurrences of `"id":` (no JSON.parse). */
export function countItems(data: Buffer): number {
  let n = 0;
  let at = data.indexOf(ID_TAG, 0);
  while (at !== -1) {
    n++;
    at = data.indexOf(ID_TAG, at + ID_TAG.length);
  }
  return n;
}

export class LightClient {
  onBatch: ((data: Buffer) => void) | null = null;
  onClose: (() => void) | null = null;
  open = false;
  private nextAckId = 0;
  private readonly acks = new Map<number, (payload: unknown) => void>();

  private constructor(private readonly ws: WebSocket) {}

  /** Opens the socket and connects the main namespace; rejects on refusal, close or timeout. */
  static connect(baseUrl: string, auth: object | null, timeoutMs = 15_000): Promise<LightClient> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
    const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true, handshakeTimeout: timeoutMs });
    const client = new LightClient(ws);
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (why: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        ws.terminate();
        reject(new Error(why));
      };
      const timer = setTimeout(() => fail('connect timeout'), timeoutMs);
      ws.on('error', (err) => fail(err.message));
      ws.on('close', () => {
        const wasOpen = client.open;
        client.open = false;
        for (const resolveAck of client.acks.values()) resolveAck({ ok: false, error: { code: 'DISCONNECTED', message: 'socket closed' } });
        client.acks.clear();
        if (!settled) fail('closed before connect');
        else if (wasOpen) client.onClose?.();
      });
      ws.on('message', (data: Buffer) => {
        const c0 = data[0];
        if (c0 === 0x34 /* 4 message */) {
          const c1 = data[1];
          if (c1 === 0x32 /* 2 EVENT */) {
            if (client.onBatch && data.compare(BATCH_TAG, 0, BATCH_TAG.length, 3, 3 + BATCH_TAG.length) === 0) client.onBatch(data);
          } else if (c1 === 0x33 /* 3 ACK */) {
            client.handleAck(data.toString());
          } else if (c1 === 0x30 /* 0 CONNECT */) {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            client.open = true;
            resolve(client);
          } else if (c1 === 0x34 /* 4 CONNECT_ERROR */) {
            fail(`connect refused: ${data.toString().slice(2, 200)}`);
          } else if (c1 === 0x31 /* 1 DISCONNECT */) {
            ws.close();
          }
        } else if (c0 === 0x32 /* 2 ping */) {
          ws.send('3');
        } else if (c0 === 0x30 /* 0 open */) {
          ws.send(auth ? `40${JSON.stringify(auth)}` : '40');
        } else if (c0 === 0x31 /* 1 close */) {
          ws.close();
        }
      });
    });
  }

  private handleAck(s: string) {
    let i = 2;
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    const id = Number(s.slice(2, i));
    const resolveAck = this.acks.get(id);
    if (!resolveAck) return;
    this.acks.delete(id);
    let payload: unknown;
    try {
      payload = (JSON.parse(s.slice(i)) as unknown[])[0];
    } catch {
      payload = { ok: false, error: { code: 'BAD_ACK', message: s.slice(0, 120) } };
    }
    resolveAck(payload);
  }

  /** Emits an event and resolves with the server's ack (or an error ack on close/timeout). */
  emitWithAck<T = { ok: boolean; error?: { code: string; message: string } } & Record<string, unknown>>(
    event: string,
    payload: unknown,
    timeoutMs = 30_000,
  ): Promise<T> {
    if (!this.open) return Promise.resolve({ ok: false, error: { code: 'DISCONNECTED', message: 'not connected' } } as T);
    const id = this.nextAckId++;
    return new Promise<T>((resolve) => {
      const timer = setTimeout(() => {
        if (this.acks.delete(id)) resolve({ ok: false, error: { code: 'ACK_TIMEOUT', message: 'no ack' } } as T);
      }, timeoutMs);
      this.acks.set(id, (p) => {
        clearTimeout(timer);
        resolve(p as T);
      });
      this.ws.send(`42${id}${JSON.stringify([event, payload])}`);
    });
  }

  pendingAcks(): number {
    return this.acks.size;
  }

  close() {
    this.open = false;
    this.ws.terminate();
  }
}
