import type { Danmaku, DanmakuMode } from '../../../contracts/danmaku.js';
import type { Room, RoomStatus } from '../../../contracts/rooms.js';
import { RoomPolls } from '../polls/room-polls.js';
import { createStore, type Store } from '../store.js';
import { RoomConnection, type ConnectionStatus, type JoinResult, type Outcome, type SocketError } from './connection.js';
import { compileHiddenPeople, createPolicy, type Policy } from './policy.js';
import { DanmakuRenderer } from './renderer.js';
import { ReplayLoader } from './replay.js';
import { layerHeightPercent, speedSeconds, type ViewerSettings } from './settings.js';

/** A comment in the side list, where people like and report (moving text is hard to click). */
export interface RecentComment {
  d: Danmaku;
  own: boolean;
  likes: number | null;
  liked: boolean;
  reported: boolean;
}

/** What the viewer's components render from. */
export interface ViewerState {
  room: Room;
  connection: ConnectionStatus;
  viewers: number | null;
  joined: boolean;
  joinError: SocketError | null;
  recent: RecentComment[];
}

type Shown = Danmaku & { own?: boolean };

const RECENT_MAX = 100;
/** Comments a late joiner sees fly by at once, so the screen is never empty on arrival. */
const WELCOME_COMMENTS = 8;
/** Within this distance of the live position, new comments appear the moment they arrive. */
const LIVE_EDGE_MS = 2_500;

/** The premiere's phase on the server's clock (the same rule as the server's roomStatusAt). */
export function phaseAt(room: Pick<Room, 'startsAt' | 'durationMs'>, nowMs: number): RoomStatus {
  const start = Date.parse(room.startsAt);
  if (nowMs < start) return 'scheduled';
  return nowMs < start + room.durationMs ? 'live' : 'ended';
}

/**
 * Everything one viewer's page does with danmaku, outside Preact: the realtime
 * connection, the viewer's policy, the renderer over the video, the replay loader
 * and the side list. Components read `state` and call the methods.
 */
export class ViewerController {
  readonly state: Store<ViewerState>;
  /** The room's live polls (client/src/polls), on the same connection. */
  readonly polls: RoomPolls;
  private readonly conn: RoomConnection;
  private policy: Policy;
  private settings: ViewerSettings;
  private renderer: DanmakuRenderer<Shown> | null = null;
  private video: HTMLVideoElement | null = null;
  private replay: ReplayLoader | null = null;
  /** Ids already handled, so a comment coming back in a batch or a re-join shows once. */
  private readonly seen = new Set<string>();
  private queued: RecentComment[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(room: Room, settings: ViewerSettings, private readonly heldLabel: string) {
    this.settings = settings;
    this.policy = createPolicy(settings);
    this.state = createStore<ViewerState>({ room, connection: 'connecting', viewers: null, joined: false, joinError: null, recent: [] });
    this.conn = new RoomConnection(room.id, {
      status: (connection) => this.patch({ connection }),
      joined: (res, rejoin) => this.onJoined(res, rejoin),
      joinFailed: (joinError) => this.patch({ joinError }),
      batch: (items) => items.forEach((d) => this.take(d, false)),
      retract: (ids) => this.retract(ids),
      viewers: (viewers) => this.patch({ viewers }),
    });
    this.polls = new RoomPolls(room.id, this.conn);
  }

  get room(): Room {
    return this.state.get().room;
  }

  start(): void {
    this.conn.start();
  }

  stop(): void {
    this.polls.stop();
    this.conn.stop();
    this.detach();
    if (this.flushTimer) clearTimeout(this.flushTimer);
  }

  serverNow(): number {
    return this.conn.clock.now();
  }

  phase(): RoomStatus {
    return phaseAt(this.room, this.serverNow());
  }

  /** Where the premiere is now, in media ms: the same moment for every viewer. */
  livePositionMs(): number {
    return Math.min(Math.max(this.serverNow() - Date.parse(this.room.startsAt), 0), this.room.durationMs);
  }

  /** Where the video is now, in media ms; null before the player mounted. */
  playheadMs(): number | null {
    return this.video ? Math.round(this.video.currentTime * 1000) : null;
  }

  /** Puts the comment layer over `video`; returns the undo. */
  attach(video: HTMLVideoElement, layer: HTMLElement): () => void {
    this.detach();
    this.video = video;
    this.renderer = new DanmakuRenderer<Shown>(layer, video, {
      heldLabel: this.heldLabel,
      // In a replay, the list follows what passes on screen.
      onShown: (d) => {
        if (this.phase() === 'ended' && !d.own) this.addRecent(d, false);
      },
    });
    // Danmaku switched off on an earlier visit stay off, own comments included, as within a visit.
    if (!this.settings.enabled) this.renderer.setVisible(false);
    this.applyLayout();
    return () => this.detach();
  }

  setSettings(settings: ViewerSettings): void {
    const before = this.settings;
    this.settings = settings;
    this.policy = createPolicy(settings);
    if (!this.renderer) return;
    if (before.enabled !== settings.enabled) this.renderer.setVisible(settings.enabled);
    // Someone just hidden goes off the picture at once, not only from their next comment on.
    // (Settings are rebuilt on every change, the opacity slider's included: compare who, not which array.)
    const hiddenIds = (s: ViewerSettings) => s.blockedUsers.map((p) => p.id).join(' ');
    if (hiddenIds(before) !== hiddenIds(settings)) {
      const hidden = compileHiddenPeople(settings.blockedUsers);
      this.renderer.removeWhere((d) => !d.own && hidden(d));
    }
    const layoutChanged = before.fontSize !== settings.fontSize || layerHeightPercent(before) !== layerHeightPercent(settings);
    // The layer's size is set by CSS from the settings; measure after it applied.
    requestAnimationFrame(() => {
      if (layoutChanged) this.renderer?.clearScreen();
      this.applyLayout();
    });
  }

  /** After the player changed size (rotation, fullscreen, theatre mode). */
  applyLayout(): void {
    this.renderer?.resize(speedSeconds[this.settings.speed]);
  }

  /** Called about once a second by the player: loads replay windows around the play head. */
  tick(): void {
    if (!this.video || !this.renderer || this.phase() !== 'ended') return;
    this.replay ??= new ReplayLoader(this.room.id, this.room.durationMs, (items) => items.forEach((d) => this.present(d, false)));
    const keep = this.replay.ensure(this.video.currentTime * 1000);
    this.renderer.pruneOutside(keep.fromMs / 1000, keep.toMs / 1000);
  }

  /** After a seek the screen starts empty: forget merge and density history. */
  onSeek(): void {
    this.policy.reset();
    this.tick();
  }

  async send(text: string, mode: DanmakuMode, color: string): Promise<Outcome<{ danmaku: Danmaku }>> {
    const replay = this.phase() === 'ended';
    const offsetMs = replay && this.video ? Math.round(Math.min(this.video.currentTime * 1000, this.room.durationMs)) : undefined;
    const res = await this.conn.send({ text, mode, color, ...(offsetMs !== undefined ? { offsetMs } : {}) });
    if (res.ok) this.take(res.danmaku, true);
    return res;
  }

  async like(id: string): Promise<Outcome<{ likes: number }>> {
    const res = await this.conn.like(id);
    if (res.ok) this.updateRecent(id, { likes: res.likes, liked: true });
    return res;
  }

  async report(id: string, reason: string): Promise<Outcome<{ hidden: boolean }>> {
    const res = await this.conn.report(id, reason);
    if (res.ok) {
      this.updateRecent(id, { reported: true });
      // Out of the reporter's sight at once, whatever the others decide.
      this.renderer?.remove([id]);
    }
    return res;
  }

  private detach(): void {
    this.replay?.destroy();
    this.replay = null;
    this.renderer?.destroy();
    this.renderer = null;
    this.video = null;
  }

  private onJoined(res: JoinResult, rejoin: boolean): void {
    this.patch({ room: res.room, viewers: res.viewers, joined: true, joinError: null });
    this.polls.joined(res.polls);
    const items = res.danmaku?.items ?? [];
    if (rejoin || this.phase() !== 'live') {
      // What was missed while away (or, in a replay, nothing to show: the loader handles it).
      if (this.phase() === 'live') items.forEach((d) => this.take(d, false));
      return;
    }
    items.forEach((d) => this.seen.add(d.id));
    items.forEach((d) => this.addRecent(d, false));
    // A few of the latest fly by, a beat apart, so a late joiner arrives into a lively room.
    // (At the live position: the player is about to seek there.)
    const now = this.livePositionMs() / 1000;
    items.slice(-WELCOME_COMMENTS).forEach((d, i) => this.present(d, false, now + 0.4 + i * 0.35));
  }

  /** A comment from a batch, a re-join or the viewer's own ack: list it and show it once. */
  private take(d: Danmaku, own: boolean): void {
    if (this.seen.has(d.id)) {
      // The batch can beat the sender's ack: mark the comment as theirs after the fact.
      if (own) {
        this.renderer?.markOwn(d.id);
        this.updateRecent(d.id, { own: true });
      }
      return;
    }
    if (this.seen.size > 5_000) this.seen.clear();
    this.seen.add(d.id);
    const mine = own || d.held === true;
    this.addRecent(d, mine);
    this.present(d, mine);
  }

  private present(d: Danmaku, own: boolean, atS?: number): void {
    const renderer = this.renderer;
    const video = this.video;
    if (!renderer || !video || renderer.has(d.id)) return;
    const decision = this.policy.admit(d, { nowMs: performance.now(), own, ...renderer.load() });
    if (decision.kind === 'merge') return renderer.bump(decision.intoId, decision.count);
    if (decision.kind === 'drop') return;
    renderer.add({ ...d, own }, atS ?? this.timeFor(d, own));
  }

  /** At the live edge (or for one's own comment) now; otherwise at its moment in the video. */
  private timeFor(d: Danmaku, own: boolean): number {
    const video = this.video!;
    const nearLive = Math.abs(video.currentTime * 1000 - this.livePositionMs()) < LIVE_EDGE_MS;
    if (own || (this.phase() === 'live' && nearLive && !video.paused)) return video.currentTime;
    return d.offsetMs / 1000;
  }

  private retract(ids: string[]): void {
    this.renderer?.remove(ids);
    const gone = new Set(ids);
    this.queued = this.queued.filter((r) => !gone.has(r.d.id));
    this.patch({ recent: this.state.get().recent.filter((r) => !gone.has(r.d.id)) });
  }

  private addRecent(d: Danmaku, own: boolean): void {
    if (!own && this.policy.hides(d)) return;
    this.queued.push({ d, own, likes: null, liked: false, reported: false });
    // One list update per quarter second, however busy the room.
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = null;
      const known = new Set(this.state.get().recent.map((r) => r.d.id));
      const fresh = this.queued.filter((r) => !known.has(r.d.id)).reverse();
      this.queued = [];
      if (fresh.length) this.patch({ recent: [...fresh, ...this.state.get().recent].slice(0, RECENT_MAX) });
    }, 250);
  }

  private updateRecent(id: string, change: Partial<RecentComment>): void {
    this.patch({ recent: this.state.get().recent.map((r) => (r.d.id === id ? { ...r, ...change } : r)) });
  }

  private patch(change: Partial<ViewerState>): void {
    this.state.set({ ...this.state.get(), ...change });
  }
}
