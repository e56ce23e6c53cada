import WebSocket from 'ws';

/**
 * A light Socket.IO 4 client: one raw `ws` socket speaking Engine.IO v4 (websocket
 * transport), enough for thousands per process. It answers pings, connects the main
 * namespace with an auth object, emits with acks, and hands every server event to
 * `onEvent` with its name (read without JSON.parse) and the raw packet, so a client
 * decodes only the events it cares about.
 *
 *   server 0{...} open -> client 40{"token":...} -> server 40{"sid":...}
 *   ping 2 -> pong 3; event 42["name",data(,offset)]; emit with ack 42N["ev",data] -> 43N[response]
 */
export interface Ack<T = Record<string, unknown>> {
  payload: { ok: boolean; error?: { code: string; message: string } } & T;
  /** performance.now() when the ack arrived. */
  at: number;
}

export class EioClient {
  /**
   * Sees every event packet first, as raw bytes (nothing decoded); returning true means
   * it was handled and `onEvent` is skipped. For generators that only count frames.
   */
  onRawEvent: ((data: Buffer, at: number) => boolean) | null = null;
  onEvent: ((name: string, raw: string, at: number) => void) | null = null;
  onClose: (() => void) | null = null;
  open = false;
  private nextAckId = 0;
  private readonly acks = new Map<number, (payload: unknown, at: number) => void>();

  private constructor(private readonly ws: WebSocket) {}

  /** `trustUtf8` skips ws's UTF-8 check of every frame (the server is ours; saves generator CPU). */
  static connect(baseUrl: string, auth: object | null, timeoutMs = 20_000, trustUtf8 = false): Promise<EioClient> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
    const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeoutMs, skipUTF8Validation: trustUtf8 });
    const client = new EioClient(ws);
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
        const at = performance.now();
        for (const resolveAck of client.acks.values()) resolveAck({ ok: false, error: { code: 'DISCONNECTED', message: 'socket closed' } }, at);
        client.acks.clear();
        if (!settled) fail('closed before connect');
        else if (wasOpen) client.onClose?.();
      });
      ws.on('message', (data: Buffer) => {
        const at = performance.now();
        const c0 = data[0];
        if (c0 === 0x34 /* 4 message */) {
          const c1 = data[1];
          if (c1 === 0x32 /* 2 EVENT */) {
            if (client.onRawEvent?.(data, at)) return;
            if (!client.onEvent) return;
            // 42["name",...: the name sits between the first two quotes.
            const q1 = data.indexOf(0x22, 2);
            const q2 = q1 === -1 ? -1 : data.indexOf(0x22, q1 + 1);
            if (q2 === -1) return;
            client.onEvent(data.toString('utf8', q1 + 1, q2), data.toString(), at);
          } else if (c1 === 0x33 /* 3 ACK */) {
            client.handleAck(data.toString(), at);
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

  private handleAck(s: string, at: number) {
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
    resolveAck(payload, at);
  }

  pendingAcks(): number {
    return this.acks.size;
  }

  /** Emits and resolves with the ack (an error ack on close or timeout; never rejects). */
  emitWithAck<T = Record<string, unknown>>(event: string, payload: unknown, timeoutMs = 60_000): Promise<Ack<T>> {
    if (!this.open) return Promise.resolve({ payload: { ok: false, error: { code: 'DISCONNECTED', message: 'not connected' } }, at: performance.now() } as Ack<T>);
    const id = this.nextAckId++;
    return new Promise<Ack<T>>((resolve) => {
      const timer = setTimeout(() => {
        if (this.acks.delete(id)) resolve({ payload: { ok: false, error: { code: 'ACK_TIMEOUT', message: 'no ack' } }, at: performance.now() } as Ack<T>);
      }, timeoutMs);
      this.acks.set(id, (p, at) => {
        clearTimeout(timer);
        resolve({ payload: p, at } as Ack<T>);
      });
      this.ws.send(`42${id}${JSON.stringify([event, payload])}`);
    });
  }

  close() {
    this.open = false;
    this.ws.terminate();
  }
}

/** The data argument of a raw `42["name",data,...]` packet. */
export function eventData<T = any>(raw: string): T {
  return (JSON.parse(raw.slice(2)) as unknown[])[1] as T;
}
