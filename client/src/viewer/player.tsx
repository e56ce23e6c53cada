import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useT } from '../i18n.js';
import { ControlBar } from './controls.js';
import type { ViewerController } from './controller.js';
import { useDensity } from './density.js';
import { enterFullscreen, exitFullscreen, fullscreenElement, onFullscreenChange } from './fullscreen.js';
import { focusOutside, focusSibling } from './keys.js';
import { Overlays } from './overlays.js';
import { Playback, type PlaybackView } from './playback.js';
import { SettingsPanel } from './settings-panel.js';
import { fontScales, layerHeightPercent, updateSettings, useViewerSettings } from './settings.js';
import { usePoll } from './time.js';

const SEEK_STEP_MS = 5_000;
const IDLE_MS = 3_000;

const sameView = (a: PlaybackView | null, b: PlaybackView | null) =>
  a === b || (!!a && !!b && (Object.keys(a) as Array<keyof PlaybackView>).every((k) => a[k] === b[k]));

/** Focuses the first enabled match of `selectors` inside `root`; false if none. */
function focusFirst(root: HTMLElement | null, ...selectors: string[]): boolean {
  for (const selector of selectors) {
    const el = root?.querySelector<HTMLElement>(`${selector}:not(:disabled)`);
    if (el) {
      el.focus();
      return true;
    }
  }
  return false;
}

const isTyping = (el: HTMLElement) =>
  el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement || (el instanceof HTMLInputElement && !['range', 'checkbox', 'button', 'color'].includes(el.type));

interface PlayerProps {
  ctl: ViewerController;
  joined: boolean;
  /** The send bar: inside the fullscreen wrapper so it stays reachable in fullscreen. */
  children?: ComponentChildren;
}

/**
 * The video with the danmaku layer over it and our controls. The stage is a
 * `data-spatial-nav="off"` region: arrow keys seek ±5 s there, and Up/Down
 * hand focus back to the page (see keys.ts) so TV remotes never get stuck.
 */
export function Player({ ctl, joined, children }: PlayerProps) {
  const { t } = useT();
  const settings = useViewerSettings();
  const wrapper = useRef<HTMLDivElement>(null);
  const stage = useRef<HTMLDivElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  const layer = useRef<HTMLDivElement>(null);
  const surface = useRef<HTMLDivElement>(null);
  const bar = useRef<HTMLDivElement>(null);
  const idleTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [playback, setPlayback] = useState<Playback | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [fullscreen, setFullscreen] = useState(false);
  const [theatre, setTheatre] = useState(false);
  const [idle, setIdle] = useState(false);
  const view = usePoll(() => playback?.view() ?? null, 250, sameView);
  const density = useDensity(ctl.room.id, ctl.room.durationMs, view?.phase === 'live');

  useEffect(() => {
    const v = video.current!;
    const box = stage.current!;
    // Comment size follows the player's width; CSS reads it from --stage-w.
    const measure = () => box.style.setProperty('--stage-w', `${box.clientWidth}px`);
    measure();
    const detach = ctl.attach(v, layer.current!);
    const pb = new Playback(v, ctl);
    const unbind = pb.bind();
    setPlayback(pb);
    const timer = setInterval(() => pb.tick(), 1_000);
    // Rotation, fullscreen, window resizes and the area setting change the layer: re-measure.
    const resize = new ResizeObserver(() => {
      measure();
      ctl.applyLayout();
    });
    resize.observe(box);
    resize.observe(layer.current!);
    const offFs = onFullscreenChange(() => setFullscreen(fullscreenElement() === wrapper.current));
    return () => {
      clearInterval(timer);
      resize.disconnect();
      offFs();
      unbind();
      detach();
    };
  }, [ctl]);

  useEffect(() => ctl.setSettings(settings), [ctl, settings]);

  // First join of a live room: jump to the live moment and start (muted if the browser insists).
  useEffect(() => {
    if (joined && playback) playback.goLive();
  }, [joined, playback]);

  // Theatre mode covers the page: stop the page behind it from scrolling.
  useEffect(() => {
    document.documentElement.classList.toggle('viewer-theatre', theatre);
    return () => document.documentElement.classList.remove('viewer-theatre');
  }, [theatre]);

  function wake() {
    setIdle(false);
    clearTimeout(idleTimer.current);
    idleTimer.current = setTimeout(() => setIdle(true), IDLE_MS);
  }
  // Controls show at first and whenever playback starts or stops, then fade while watching.
  useEffect(() => wake(), [view?.paused]);
  useEffect(() => () => clearTimeout(idleTimer.current), []);

  async function toggleExpanded() {
    if (fullscreen) return exitFullscreen();
    if (theatre) return setTheatre(false);
    if (!(await enterFullscreen(wrapper.current!))) setTheatre(true);
  }

  function onKeyDown(e: KeyboardEvent) {
    wake();
    const target = e.target as HTMLElement;
    if (!playback || e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return;
    if (e.key === 'Escape') {
      if (settingsOpen) setSettingsOpen(false);
      else if (theatre) setTheatre(false);
      return;
    }
    const step = e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 1;
    // The settings panel acts as a dialog: arrows walk its controls (a range keeps Left/Right).
    const panel = target.closest<HTMLElement>('.vset');
    if (panel) {
      const rangeKey = target instanceof HTMLInputElement && target.type === 'range' && (e.key === 'ArrowLeft' || e.key === 'ArrowRight');
      if (e.key.startsWith('Arrow') && !rangeKey && !isTyping(target)) {
        e.preventDefault();
        focusSibling(panel, target, step);
      }
      return;
    }
    const inStage = stage.current?.contains(target) ?? false;
    // From the send bar, Up returns into the player (the page's arrow navigation skips it).
    if (!inStage) {
      if (e.key === 'ArrowUp' && !e.shiftKey) {
        e.preventDefault();
        if (!focusFirst(bar.current, '.controls__row button')) surface.current?.focus();
      }
      return;
    }
    if (isTyping(target)) return;
    const row = target.closest<HTMLElement>('.controls__row');
    const onSeekBar = target.classList.contains('seek__input');
    const onSurface = target === surface.current;
    switch (e.key) {
      case 'ArrowLeft':
      case 'ArrowRight':
        e.preventDefault();
        if (row) focusSibling(row, target, step);
        else playback.seekBy(step * SEEK_STEP_MS);
        return;
      case 'ArrowUp':
        e.preventDefault();
        if (row && focusFirst(bar.current, '.seek__input')) return;
        if (row || onSeekBar) surface.current?.focus();
        else focusOutside(stage.current!, 'up');
        return;
      case 'ArrowDown':
        e.preventDefault();
        if (onSurface) focusFirst(bar.current, '.seek__input', '.controls__row button');
        else if (onSeekBar) focusFirst(bar.current, '.controls__row button');
        else focusOutside(stage.current!, 'down');
        return;
    }
    if (target instanceof HTMLButtonElement && (e.key === ' ' || e.key === 'Enter')) return; // the button handles it
    const shortcuts: Record<string, () => void> = {
      ' ': () => void playback.togglePlay(),
      k: () => void playback.togglePlay(),
      f: () => void toggleExpanded(),
      m: () => playback.toggleMute(),
      d: () => updateSettings({ enabled: !settings.enabled }),
    };
    const action = shortcuts[e.key.toLowerCase()];
    if (action) {
      e.preventDefault();
      action();
    }
  }

  function onSurfaceClick(e: MouseEvent) {
    // On touch screens the first tap shows the controls; a tap while they show plays or pauses.
    if ((e as PointerEvent).pointerType === 'touch' && idle) return wake();
    wake();
    void playback?.togglePlay();
  }

  const expanded = fullscreen || theatre;
  const hideControls = idle && !!view && !view.paused && !settingsOpen;
  const classes = ['player', theatre && 'player--theatre', fullscreen && 'player--fullscreen', hideControls && 'player--idle'].filter(Boolean).join(' ');
  return (
    <div class={classes} ref={wrapper} onKeyDown={onKeyDown} onPointerMove={wake} onFocusIn={wake} data-testid="player" data-phase={view?.phase}>
      <div class="player__stage" ref={stage} data-spatial-nav="off">
        <video ref={video} class="player__video" src={ctl.room.videoUrl} playsInline preload="auto" data-testid="video" />
        <div
          ref={layer}
          class="player__layer"
          data-testid="danmaku-layer"
          aria-hidden="true"
          style={{ height: `${layerHeightPercent(settings)}%`, '--dm-opacity': String(settings.opacity), '--dm-scale': String(fontScales[settings.fontSize]) }}
        />
        <div
          ref={surface}
          class="player__surface"
          tabIndex={0}
          role="group"
          aria-label={t('viewer.surface')}
          onClick={onSurfaceClick}
          onDblClick={() => void toggleExpanded()}
          data-testid="player-surface"
        />
        {view && playback && <Overlays view={view} playback={playback} startsAt={ctl.room.startsAt} />}
        {view && playback && (
          <ControlBar
            view={view}
            playback={playback}
            density={density}
            barRef={bar}
            danmakuOn={settings.enabled}
            onToggleDanmaku={() => updateSettings({ enabled: !settings.enabled })}
            settingsOpen={settingsOpen}
            onToggleSettings={() => setSettingsOpen(!settingsOpen)}
            expanded={expanded}
            onToggleExpanded={() => void toggleExpanded()}
          />
        )}
        {settingsOpen && <SettingsPanel onClose={() => setSettingsOpen(false)} />}
      </div>
      {children}
    </div>
  );
}
