import { useEffect, useRef } from 'preact/hooks';
import { useT } from '../i18n.js';
import { href, loginPath } from '../router.js';
import type { ViewerController } from '../viewer/controller.js';
import { focusOutside, focusSibling } from '../viewer/keys.js';
import { formatClock, usePoll } from '../viewer/time.js';
import { Ballot } from './ballot.js';
import { CountdownRing } from './countdown.js';
import { openLengthMs, remainingMs, type Shown } from './logic.js';
import { openProfile } from './profile.js';
import { ResultBars } from './results.js';

interface CardProps {
  shown: Shown;
  ctl: ViewerController;
  signedIn: boolean;
  onMinimize(): void;
  onDismiss(): void;
}

/**
 * Up and Down walk the card's controls and leave it at either end, so TV
 * remotes get through; the player's own arrow handling never sees them.
 */
function onCardKeys(e: KeyboardEvent) {
  if ((e.key !== 'ArrowUp' && e.key !== 'ArrowDown') || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
  const card = e.currentTarget as HTMLElement;
  const up = e.key === 'ArrowUp';
  if (!focusSibling(card, e.target as Element, up ? -1 : 1)) focusOutside(card, up ? 'up' : 'down');
  e.preventDefault();
  e.stopPropagation();
}

/** True when focus is in a field that takes typing (a comment being written): never taken from there. */
function typing(el: Element | null): boolean {
  return el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement || (el instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit'].includes(el.type)) || (el instanceof HTMLElement && el.isContentEditable);
}

/**
 * On a TV (no hover: the same test as spatial-nav.ts) the card sits over the picture,
 * which the remote's arrows skip (the player keeps them for seeking), so the arrows
 * alone could never reach it. When a ballot appears there, the remote's focus moves to
 * its first choice, unless the viewer is typing; Down past the card leaves it as before.
 */
function useRemoteFocus(card: { current: HTMLElement | null }, ballot: boolean, pollId: string) {
  useEffect(() => {
    if (!ballot || !card.current || !matchMedia('(hover: none)').matches || typing(document.activeElement)) return;
    card.current.querySelector<HTMLElement>('[data-testid=poll-option]:not([disabled])')?.focus({ preventScroll: true });
  }, [ballot, pollId]);
}

/**
 * One poll over (or under) the video: question, a countdown on the server's
 * clock, the ballot while this account may vote, otherwise the results as far
 * as this viewer may see them, with "your vote" marked. Guests get a log-in
 * prompt; a closed or replayed poll shows its final results.
 */
export function PollCard({ shown, ctl, signedIn, onMinimize, onDismiss }: CardProps) {
  const { t } = useT();
  const { entry, mode } = shown;
  const { poll, tallies, total, myVote } = entry;
  const left = usePoll(() => (mode === 'open' ? remainingMs(poll, ctl.serverNow()) : 0), 250);
  const voting = mode === 'open' && left > 0;
  const canVote = voting && signedIn && myVote === null;
  const final = poll.status === 'closed';
  const length = openLengthMs(poll);
  const titleId = `poll-q-${poll.id}`;
  const section = useRef<HTMLElement>(null);
  useRemoteFocus(section, canVote, poll.id);

  return (
    <section
      ref={section}
      class={`pollcard pollcard--${mode}`}
      aria-labelledby={titleId}
      onKeyDown={onCardKeys}
      style={{ '--left': voting ? String(left / Math.max(1, length)) : '0' }}
      data-testid="poll-card"
      data-poll-id={poll.id}
      data-state={mode}
    >
      <div class="pollcard__head">
        <span class={`pollcard__badge pollcard__badge--${mode}`}>
          {mode === 'open' && <span class="pollcard__dot" aria-hidden="true" />}
          {t(`polls.badge.${mode}`)}
        </span>
        {mode === 'open' && <CountdownRing leftMs={left} totalMs={length} />}
        <span class="pollcard__spacer" />
        {mode === 'open' ? (
          <button type="button" class="pollcard__icon" onClick={onMinimize} aria-label={t('polls.minimize')} title={t('polls.minimize')} data-testid="poll-minimize">
            <span aria-hidden="true">–</span>
          </button>
        ) : (
          <button type="button" class="pollcard__icon" onClick={onDismiss} aria-label={t('polls.dismiss')} title={t('polls.dismiss')} data-testid="poll-dismiss">
            <span aria-hidden="true">×</span>
          </button>
        )}
      </div>
      <h3 id={titleId} class="pollcard__question" data-testid="poll-question">
        {poll.question}
      </h3>
      {mode === 'open' && (
        <p class="visually-hidden" aria-live="polite">
          {t('polls.card')}: {poll.question}
        </p>
      )}
      <div class="pollcard__body">
        {canVote ? (
          <Ballot entry={entry} polls={ctl.polls} />
        ) : (
          <ResultBars poll={poll} tallies={tallies} total={total} myVote={myVote} final={final} />
        )}
        {!canVote && tallies === null && (
          <p class="pollcard__notice" data-testid="poll-hidden-notice">
            {t('polls.resultsAfterClose')}
          </p>
        )}
        {voting && tallies !== null && poll.resultsVisibility === 'after_close' && <p class="pollcard__notice pollcard__notice--staff">{t('polls.staffOnly')}</p>}
      </div>
      <div class="pollcard__foot">
        <span class="pollcard__total" data-testid="poll-total" data-total={total}>
          {total > 0 || final ? t('polls.votes', { count: total }) : t('polls.noVotes')}
        </span>
        {myVote !== null && (
          <span class="pollcard__thanks" data-testid="poll-voted">
            {myVote.length ? t('polls.thanks') : t('polls.votedElsewhere')}
          </span>
        )}
        {mode === 'replay' && poll.atOffsetMs !== null && <span class="pollcard__when">{t('polls.replayNote', { time: formatClock(poll.atOffsetMs) })}</span>}
        {myVote !== null && signedIn && (
          <button type="button" class="pollcard__link" onClick={openProfile} data-testid="poll-profile-link">
            {t('polls.profile.link')}
          </button>
        )}
      </div>
      {!signedIn && voting && (
        <div class="pollcard__login" data-testid="poll-login">
          <p>{t('polls.loginPrompt')}</p>
          <a class="button button--small button--primary" href={href(loginPath(`/rooms/${encodeURIComponent(poll.roomId)}`))}>
            {t('polls.login')}
          </a>
        </div>
      )}
    </section>
  );
}
