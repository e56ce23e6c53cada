import type { PGlite } from '@electric-sql/pglite';

/**
 * Schedules the messages of many wire connections onto PGlite's single Postgres session.
 *
 * PGlite is one backend: every connection shares its session, so two connections must
 * never have their messages interleaved inside a unit of work. A unit is
 *  - an extended-protocol batch (Parse/Bind/Describe/Execute ... Sync): the unnamed
 *    statement and portal, and the batch's implicit transaction, belong to one client;
 *  - a transaction block (BEGIN ... COMMIT/ROLLBACK), which may span many batches.
 * A connection that starts a unit holds the session until the unit ends (a Sync or a
 * simple Query after which no transaction block is open); the other connections' messages
 * wait in arrival order. @electric-sql/pglite-socket's own queue only looks at transaction
 * blocks, so when a batch arrived in several network reads (a large parameter) another
 * connection's batch ran between its Parse and its Bind, which then bound the wrong
 * statement; it also never resumed after a message that failed in PGlite, and under
 * concurrent transactions from a pool (the proposal-vote test) it stalled. The embedded
 * server uses this scheduler instead (tests/db/embedded-postgres.test.ts).
 *
 * A connection that holds the session and sends nothing for `idleHoldMs` (a client that
 * waits on something else while its transaction is open) is closed, which rolls its work
 * back, like Postgres's idle_in_transaction_session_timeout: with one session, such a
 * client would otherwise stop every other connection.
 */
export class PGliteSessionScheduler {
  private readonly waiting: Task[] = [];
  private holder: number | null = null;
  private current: Task | null = null;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: PGlite,
    private readonly opts: { idleHoldMs: number; onIdleHolder(handlerId: number): void },
  ) {}

  /** Called by PGLiteSocketHandler for each complete message of connection `handlerId`, in order. */
  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ handlerId, kind: kindOf(message), run: () => this.execute(message, onData), resolve, reject });
      this.pump();
    });
  }

  /** The connection went away: drops what it still had queued. */
  clearQueueForHandler(handlerId: number): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const task = this.waiting[i];
      if (task.handlerId !== handlerId) continue;
      this.waiting.splice(i, 1);
      task.reject(new Error('connection closed'));
    }
  }

  /** The connection went away: ends any batch or transaction it left open and frees the session. */
  clearTransactionIfNeeded(handlerId: number): Promise<void> {
    // Also when its last message is still running: that message may leave the session held.
    if (this.holder !== handlerId && this.current?.handlerId !== handlerId) return Promise.resolve();
    return new Promise<number>((resolve, reject) => {
      // Queued under the same connection, so it runs in its turn, after any message in flight.
      this.waiting.unshift({ handlerId, kind: 'abandon', run: () => this.abandon(), resolve, reject });
      this.pump();
    }).then(() => undefined);
  }

  getQueueLength(): number {
    return this.waiting.length;
  }

  private async execute(message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    let bytes = 0;
    await this.db.runExclusive(() =>
      this.db.execProtocolRawStream(message, {
        onRawData: (data) => {
          bytes += data.length;
          onData(data);
        },
      }),
    );
    return bytes;
  }

  /** Sync ends an unfinished extended-protocol batch; ROLLBACK ends an open transaction block. */
  private async abandon(): Promise<number> {
    await this.db.runExclusive(() => this.db.execProtocolRawStream(SYNC, { onRawData: () => undefined }));
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.holder = null;
    return 0;
  }

  private next(): Task | undefined {
    if (this.holder === null) return this.waiting.shift();
    const i = this.waiting.findIndex((t) => t.handlerId === this.holder);
    return i === -1 ? undefined : this.waiting.splice(i, 1)[0];
  }

  private pump(): void {
    if (this.current) return;
    const task = this.next();
    if (!task) {
      this.armIdleTimer();
      return;
    }
    this.disarmIdleTimer();
    this.current = task;
    task
      .run()
      .then(
        (bytes) => {
          this.afterMessage(task);
          task.resolve(bytes);
        },
        (err: unknown) => {
          // The session is in an unknown state for this connection; the handler closes it,
          // and the close ends its batch or transaction through clearTransactionIfNeeded.
          this.holder = task.kind === 'abandon' ? null : task.handlerId;
          task.reject(err instanceof Error ? err : new Error(String(err)));
        },
      )
      .finally(() => {
        this.current = null;
        this.pump();
      });
  }

  /** Decides whether the connection keeps the session after its message. */
  private afterMessage(task: Task): void {
    if (task.kind === 'abandon') return; // abandon() has freed the session
    // Startup, a simple Query, a Sync or a Terminate end a unit unless a transaction block stays open.
    if (task.kind === 'boundary') this.holder = this.db.isInTransaction() ? task.handlerId : null;
    else this.holder = task.handlerId;
  }

  private armIdleTimer(): void {
    if (this.holder === null || this.idleTimer || this.opts.idleHoldMs <= 0) return;
    const holder = this.holder;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.holder === holder && !this.current) this.opts.onIdleHolder(holder);
    }, this.opts.idleHoldMs);
    this.idleTimer.unref();
  }

  private disarmIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}

interface Task {
  handlerId: number;
  kind: 'boundary' | 'inside' | 'abandon';
  run(): Promise<number>;
  resolve(bytes: number): void;
  reject(err: Error): void;
}

const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);
const QUERY = 0x51;
const SYNC_TYPE = 0x53;
const TERMINATE = 0x58;

/** A startup packet (no type byte: its length's high byte is 0), Query, Sync and Terminate close a unit. */
function kindOf(message: Uint8Array): 'boundary' | 'inside' {
  const type = message[0];
  return type === 0 || type === QUERY || type === SYNC_TYPE || type === TERMINATE ? 'boundary' : 'inside';
}
