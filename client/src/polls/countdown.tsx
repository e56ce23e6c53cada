import { useT } from '../i18n.js';
import { formatLeft } from './labels.js';

const R = 16;
const C = 2 * Math.PI * R;

/** Time left to vote as a ring that empties, with m:ss inside; amber in the last ten seconds. */
export function CountdownRing({ leftMs, totalMs }: { leftMs: number; totalMs: number }) {
  const { t } = useT();
  const fraction = totalMs > 0 ? Math.min(1, Math.max(0, leftMs / totalMs)) : 0;
  const urgent = leftMs <= 10_000;
  const label = leftMs > 0 ? formatLeft(leftMs) : '0:00';
  return (
    <span
      class={`pollring${urgent ? ' pollring--urgent' : ''}`}
      role="timer"
      aria-label={leftMs > 0 ? t('polls.left', { time: label }) : t('polls.closing')}
      title={t('polls.timeLeft')}
      data-testid="poll-countdown"
    >
      <svg viewBox="0 0 40 40" aria-hidden="true" focusable="false">
        <circle class="pollring__track" cx="20" cy="20" r={R} />
        <circle class="pollring__fill" cx="20" cy="20" r={R} stroke-dasharray={C} stroke-dashoffset={C * (1 - fraction)} />
      </svg>
      <span class="pollring__time" aria-hidden="true">
        {label}
      </span>
    </span>
  );
}
