import { formatDateTime } from '../format.js';
import { useT } from '../i18n.js';
import { Icon } from './icons.js';
import type { Playback, PlaybackView } from './playback.js';
import { splitCountdown } from './time.js';

const two = (n: number) => String(n).padStart(2, '0');

/** Before the premiere: a countdown on the server's clock; the player starts by itself at zero. */
function Countdown({ ms, startsAt }: { ms: number; startsAt: string }) {
  const { t, lang } = useT();
  const { days, hours, minutes, seconds } = splitCountdown(ms);
  return (
    <div class="countdown" role="timer" aria-live="off" data-testid="countdown">
      <p class="countdown__label">{t('viewer.startsIn')}</p>
      <p class="countdown__time">
        {days > 0 && <span class="countdown__days">{t('viewer.days', { count: days })} </span>}
        {two(hours)}:{two(minutes)}:{two(seconds)}
      </p>
      <p class="countdown__when">{t('viewer.startsAt', { time: formatDateTime(startsAt, lang) })}</p>
    </div>
  );
}

/**
 * What sits over the picture apart from the comments: the countdown, a big play
 * button when paused, "tap to unmute" after a muted autoplay, buffering and
 * playback failures.
 */
export function Overlays({ view, playback, startsAt }: { view: PlaybackView; playback: Playback; startsAt: string }) {
  const { t } = useT();
  if (view.phase === 'scheduled') return <Countdown ms={view.startsInMs} startsAt={startsAt} />;
  return (
    <>
      {view.failed && (
        <p class="player__notice" role="alert" data-testid="video-failed">
          {t('viewer.videoFailed')}
        </p>
      )}
      {!view.failed && view.paused && (
        <button type="button" class="bigplay" onClick={() => void playback.play()} aria-label={t('viewer.play')} data-testid="big-play" tabIndex={-1}>
          <Icon name="play" size="2.4rem" />
        </button>
      )}
      {view.buffering && !view.failed && <span class="spinner" role="status" aria-label={t('viewer.buffering')} />}
      {view.autoMuted && (
        <button type="button" class="unmute" onClick={() => playback.toggleMute()} data-testid="unmute">
          <Icon name="muted" size="1.2em" />
          {t('viewer.tapToUnmute')}
        </button>
      )}
    </>
  );
}
