import type { Ref } from 'preact';
import { useT } from '../i18n.js';
import { DensityBar } from './density.js';
import { Icon } from './icons.js';
import type { Playback, PlaybackView } from './playback.js';
import { formatClock } from './time.js';

interface ControlBarProps {
  view: PlaybackView;
  playback: Playback;
  density: number[] | null;
  danmakuOn: boolean;
  onToggleDanmaku(): void;
  settingsOpen: boolean;
  onToggleSettings(): void;
  /** Fullscreen or theatre mode. */
  expanded: boolean;
  onToggleExpanded(): void;
  barRef?: Ref<HTMLDivElement>;
}

const pct = (part: number, whole: number) => `${whole > 0 ? Math.min(100, Math.max(0, (part / whole) * 100)) : 0}%`;

/**
 * The player's own controls (native ones can't show the density bar, the live
 * edge or the danmaku switch, and vanish in our fullscreen). Big hit areas for
 * thumbs and TV remotes; every button is labelled for screen readers.
 */
export function ControlBar(props: ControlBarProps) {
  const { t } = useT();
  const { view, playback } = props;
  const live = view.phase === 'live';
  const scheduled = view.phase === 'scheduled';
  const position = Math.min(view.positionMs, view.durationMs);

  return (
    <div class="controls" ref={props.barRef} data-testid="player-controls">
      <div class="seek" style={{ '--played': pct(position, view.durationMs), '--available': pct(view.liveMs, view.durationMs) }}>
        <DensityBar counts={props.density} />
        <div class="seek__track" aria-hidden="true">
          <div class="seek__available" />
          <div class="seek__played" />
        </div>
        <input
          class="seek__input"
          type="range"
          min={0}
          max={view.durationMs}
          step={1000}
          value={position}
          disabled={scheduled}
          aria-label={t('viewer.seek')}
          aria-valuetext={t('viewer.positionOf', { position: formatClock(position), duration: formatClock(view.durationMs) })}
          data-testid="seek"
          onInput={(e) => playback.seekTo(Number((e.currentTarget as HTMLInputElement).value), true)}
        />
      </div>
      <div class="controls__row" role="toolbar" aria-label={t('viewer.controls')}>
        <button
          type="button"
          class="ctl ctl--play"
          onClick={() => void playback.togglePlay()}
          disabled={scheduled}
          aria-label={view.paused ? t('viewer.play') : t('viewer.pause')}
          data-testid="play-toggle"
        >
          <Icon name={view.paused ? 'play' : 'pause'} />
        </button>
        <span class="controls__time" data-testid="player-time">
          {formatClock(position)}
          <span class="controls__duration">
            <span class="controls__sep"> / </span>
            {formatClock(view.durationMs)}
          </span>
        </span>
        {live && !view.behindLive && (
          <span class="live-chip" data-testid="live-indicator">
            <span class="live-chip__dot" aria-hidden="true" />
            {t('viewer.live')}
          </span>
        )}
        {live && view.behindLive && (
          <button type="button" class="ctl ctl--text ctl--live" onClick={() => playback.goLive()} data-testid="back-to-live">
            <span class="live-chip__dot" aria-hidden="true" />
            {t('viewer.backToLive')}
          </button>
        )}
        <span class="controls__spacer" />
        <button
          type="button"
          class="ctl"
          onClick={() => playback.toggleMute()}
          aria-label={view.muted ? t('viewer.unmute') : t('viewer.mute')}
          data-testid="mute-toggle"
        >
          <Icon name={view.muted ? 'muted' : 'volume'} />
        </button>
        <button
          type="button"
          class="ctl"
          onClick={props.onToggleDanmaku}
          aria-pressed={props.danmakuOn}
          aria-label={t('viewer.showDanmaku')}
          title={t('viewer.showDanmaku')}
          data-testid="danmaku-toggle"
        >
          <Icon name={props.danmakuOn ? 'bubbles' : 'bubblesOff'} />
        </button>
        <button
          type="button"
          class="ctl"
          onClick={props.onToggleSettings}
          aria-expanded={props.settingsOpen}
          aria-controls="viewer-settings"
          aria-label={t('viewer.settings.title')}
          title={t('viewer.settings.title')}
          data-testid="settings-toggle"
        >
          <Icon name="gear" />
        </button>
        <button
          type="button"
          class="ctl"
          onClick={props.onToggleExpanded}
          aria-label={props.expanded ? t('viewer.exitFullscreen') : t('viewer.fullscreen')}
          title={props.expanded ? t('viewer.exitFullscreen') : t('viewer.fullscreen')}
          data-testid="fullscreen-toggle"
        >
          <Icon name={props.expanded ? 'shrink' : 'expand'} />
        </button>
      </div>
    </div>
  );
}
