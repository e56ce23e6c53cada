import { useEffect, useState } from 'preact/hooks';
import type { Poll, Tallies } from '../../../contracts/polls.js';
import { useT } from '../i18n.js';
import { optionColors, percent } from './logic.js';

/** A check mark for "your vote" (decorative: the text says it). */
export function Check() {
  return (
    <svg class="pollres__check" viewBox="0 0 24 24" width="1em" height="1em" aria-hidden="true" focusable="false">
      <path d="M5 12.5l4.5 4.5L19 7.5" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}

interface ResultsProps {
  poll: Poll;
  /** null: hidden until the close; the options are listed with the viewer's own choice only. */
  tallies: Tallies | null;
  total: number;
  myVote: string[] | null;
  /** Final results: the leading option is highlighted. */
  final?: boolean;
}

/**
 * Results as bars: share of voters (percent) and count per option, the
 * viewer's own choice marked, widths animating as live tallies arrive.
 */
export function ResultBars({ poll, tallies, total, myVote, final }: ResultsProps) {
  const { t } = useT();
  const [grown, setGrown] = useState(false);
  // Bars grow from zero the first time they show, then follow the counts.
  useEffect(() => {
    const id = requestAnimationFrame(() => setGrown(true));
    return () => cancelAnimationFrame(id);
  }, []);
  const top = tallies ? Math.max(...poll.options.map((o) => tallies[o.id] ?? 0)) : 0;

  return (
    <ol class={`pollres${tallies ? '' : ' pollres--hidden'}`} data-testid="poll-results">
      {poll.options.map((o, i) => {
        const votes = tallies?.[o.id] ?? 0;
        const pct = percent(votes, total);
        const mine = myVote?.includes(o.id) ?? false;
        const leading = final && tallies !== null && top > 0 && votes === top;
        return (
          <li
            key={o.id}
            class={`pollres__row${mine ? ' pollres__row--mine' : ''}${leading ? ' pollres__row--top' : ''}`}
            style={{ '--bar': optionColors[i % optionColors.length] }}
            data-testid="poll-result"
            data-option-id={o.id}
            data-votes={tallies ? votes : undefined}
            data-percent={tallies ? pct : undefined}
          >
            {tallies && <span class="pollres__bar" style={{ width: `${grown ? pct : 0}%` }} aria-hidden="true" />}
            <span class="pollres__text">{o.text}</span>
            {mine && (
              <span class="pollres__mine" data-testid="poll-your-vote">
                <Check />
                {t('polls.yourVote')}
              </span>
            )}
            {tallies && (
              <span class="pollres__nums">
                <strong class="pollres__pct">{pct}%</strong>
                <span class="pollres__count">{t('polls.votes', { count: votes })}</span>
              </span>
            )}
          </li>
        );
      })}
    </ol>
  );
}
