import type { RoomStatus } from '../../../contracts/rooms.js';
import type { ViewerController } from './controller.js';

/** What the player's controls show; read a few times a second. */
export interface PlaybackView {
  phase: RoomStatus;
  positionMs: number;
  /** The live position while live; the whole length otherwise. */
  liveMs: number;
  durationMs: number;
  startsInMs: number;
  paused: boolean;
  muted: boolean;
  /** We muted the video because the browser refused to autoplay with sound. */
  autoMuted: boolean;
  /** Live, but the viewer paused or went back: offer "Back to live". */
  behindLive: boolean;
  buffering: boolean;
  failed: boolean;
}

/** Re-sync when the video is this far from the live position. */
const DRIFT_MS = 1_000;
/** Behind live by more than this counts as watching on delay. */
const BEHIND_MS = 3_000;

/**
 * Keeps the video on the premiere's clock. While live, the picture follows the
 * server's position (seeking when it drifts by over a second) unless the viewer
 * paused or went back; they can't go past live, and "Back to live" returns them.
 * In a replay the viewer is free. Autoplay falls back to muted, as browsers
 * allow that without a tap, and the player offers to unmute.
 */
export class Playback {
  /** Following the live edge; false once the viewer pauses or rewinds. */
  private following = true;
  private autoMuted = false;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly ctl: ViewerController,
  ) {}

  /** Listens to the video; returns the undo. */
  bind(): () => void {
    const v = this.video;
    const onSeeking = () => this.onSeeking();
    const onPause = () => {
      if (this.ctl.phase() === 'live' && !v.ended) this.following = false;
    };
    const onVolume = () => {
      if (!v.muted) this.autoMuted = false;
    };
    v.addEventListener('seeking', onSeeking);
    v.addEventListener('pause', onPause);
    v.addEventListener('volumechange', onVolume);
    return () => {
      v.removeEventListener('seeking', onSeeking);
      v.removeEventListener('pause', onPause);
      v.removeEventListener('volumechange', onVolume);
    };
  }

  view(): PlaybackView {
    const v = this.video;
    const phase = this.ctl.phase();
    const durationMs = this.ctl.room.durationMs;
    const liveMs = phase === 'live' ? this.ctl.livePositionMs() : phase === 'ended' ? durationMs : 0;
    const positionMs = Math.round(v.currentTime * 1000);
    return {
      phase,
      positionMs,
      liveMs,
      durationMs,
      startsInMs: Math.max(0, Date.parse(this.ctl.room.startsAt) - this.ctl.serverNow()),
      paused: v.paused,
      muted: v.muted,
      autoMuted: this.autoMuted && v.muted,
      behindLive: phase === 'live' && (!this.following || liveMs - positionMs > BEHIND_MS),
      buffering: !v.paused && v.readyState < 3,
      failed: v.error !== null,
    };
  }

  /** About once a second: follow the live clock, start when the premiere starts, feed the replay. */
  tick(): void {
    const v = this.video;
    if (this.ctl.phase() === 'live') {
      const liveMs = this.ctl.livePositionMs();
      const drift = v.currentTime * 1000 - liveMs;
      if (!this.following && !v.paused && Math.abs(drift) < DRIFT_MS) this.following = true;
      if (this.following) {
        if (v.readyState >= 1 && Math.abs(drift) > DRIFT_MS) this.seekTo(liveMs);
        if (v.paused && !v.ended) void this.play();
      }
    }
    this.ctl.tick();
  }

  /** Jumps to the live position and plays (also the first thing on joining a live room). */
  goLive(): void {
    this.following = true;
    if (this.ctl.phase() !== 'live') return;
    this.seekTo(this.ctl.livePositionMs());
    void this.play();
  }

  async togglePlay(): Promise<void> {
    if (this.video.paused) await this.play();
    else this.video.pause();
  }

  /** Plays; if the browser refuses sound without a tap, plays muted instead. */
  async play(): Promise<void> {
    const v = this.video;
    try {
      await v.play();
    } catch (err) {
      if (!(err instanceof DOMException) || err.name !== 'NotAllowedError' || v.muted) return;
      v.muted = true;
      this.autoMuted = true;
      await v.play().catch(() => undefined);
    }
  }

  toggleMute(): void {
    this.video.muted = !this.video.muted;
    if (!this.video.muted) this.autoMuted = false;
  }

  seekBy(deltaMs: number): void {
    this.seekTo(this.video.currentTime * 1000 + deltaMs, true);
  }

  /** Seeks within what may be watched: up to live while live, anywhere in a replay. */
  seekTo(ms: number, byViewer = false): void {
    const v = this.video;
    if (v.readyState < 1 || this.ctl.phase() === 'scheduled') return;
    const maxMs = this.ctl.phase() === 'live' ? this.ctl.livePositionMs() : this.ctl.room.durationMs;
    const target = Math.min(Math.max(0, ms), maxMs, Number.isFinite(v.duration) ? v.duration * 1000 : Infinity);
    if (byViewer && this.ctl.phase() === 'live') this.following = maxMs - target < BEHIND_MS;
    v.currentTime = target / 1000;
  }

  /** Any seek, ours or the native controls': no skipping past live; forget merge history. */
  private onSeeking(): void {
    const v = this.video;
    if (this.ctl.phase() === 'live') {
      const liveMs = this.ctl.livePositionMs();
      if (v.currentTime * 1000 > liveMs + DRIFT_MS) v.currentTime = liveMs / 1000;
    }
    this.ctl.onSeek();
  }
}
