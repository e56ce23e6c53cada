import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { RoomStatus } from '../../../contracts/rooms.js';
import { useT } from '../i18n.js';
import { useStore } from '../store.js';
import type { ViewerController } from '../viewer/controller.js';
import { usePoll } from '../viewer/time.js';
import { formatLeft } from './labels.js';
import { pickShown, remainingMs } from './logic.js';
import { PollCard } from './poll-card.js';

/** Below this stage height (in rem) the card goes under the send bar instead of over the picture. */
const OVERLAY_MIN_REM = 27;

/** Whether the card fits over the picture: a tall enough stage, or fullscreen / theatre. */
function useOverlay(dock: { current: HTMLElement | null }): boolean {
  const [overlay, setOverlay] = useState(true);
  useLayoutEffect(() => {
    const player = dock.current?.parentElement;
    const stage = player?.querySelector<HTMLElement>('.player__stage');
    if (!player || !stage) return;
    const measure = () => {
      const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
      const expanded = /player--(fullscreen|theatre)/.test(player.className) || document.fullscreenElement === player;
      setOverlay(expanded || stage.clientHeight >= OVERLAY_MIN_REM * rem);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(stage);
    return () => observer.disconnect();
  }, []);
  return overlay;
}

interface DockProps {
  ctl: ViewerController;
  signedIn: boolean;
  phase: RoomStatus;
}

/**
 * Where the poll card lives inside the player: over the picture's top-right
 * corner when the picture is tall enough (and in fullscreen), otherwise (phones,
 * narrow windows) under the send bar, so it never covers where people type. It shows the open poll, a poll that
 * just closed, or in a replay the poll whose moment the play head is at.
 * The viewer can fold an open poll into a small pill and back.
 */
export function PollDock({ ctl, signedIn, phase }: DockProps) {
  const { t } = useT();
  const state = useStore(ctl.polls.state);
  const dock = useRef<HTMLDivElement>(null);
  const overlay = useOverlay(dock);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const [folded, setFolded] = useState<string | null>(null);
  const pick = () =>
    pickShown(state.entries, { replay: phase === 'ended', serverNow: ctl.serverNow(), playheadMs: ctl.playheadMs(), dismissed });
  // Re-check a few times a second: a replay's play head or the clock may bring another poll.
  usePoll(() => {
    const s = pick();
    return s ? `${s.entry.poll.id}:${s.mode}` : '';
  }, 400);
  const shown = pick();
  const left = usePoll(() => (shown?.mode === 'open' ? remainingMs(shown.entry.poll, ctl.serverNow()) : 0), 1000);
  const place = overlay ? 'polldock--over' : 'polldock--below';
  // Always in the page (empty when there is no poll), so the layout can be measured.
  if (!shown) return <div ref={dock} class={`polldock ${place} polldock--empty`} />;

  const id = shown.entry.poll.id;
  if (folded === id && shown.mode === 'open') {
    return (
      <div ref={dock} class={`polldock ${place} polldock--folded`} data-testid="poll-dock">
        <button type="button" class="pollpill" onClick={() => setFolded(null)} aria-label={t('polls.expand')} data-testid="poll-expand">
          <span class="pollcard__dot" aria-hidden="true" />
          {t('polls.pill')}
          {left > 0 && <span class="pollpill__time">{formatLeft(left)}</span>}
        </button>
      </div>
    );
  }
  return (
    <div ref={dock} class={`polldock ${place}`} data-testid="poll-dock">
      <PollCard
        key={id}
        shown={shown}
        ctl={ctl}
        signedIn={signedIn}
        onMinimize={() => setFolded(id)}
        onDismiss={() => setDismissed(new Set([...dismissed, id]))}
      />
    </div>
  );
}
