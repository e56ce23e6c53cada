import { useState } from 'preact/hooks';
import { useT } from '../i18n.js';
import { useStore } from '../store.js';
import type { ViewerController } from '../viewer/controller.js';
import { formatClock } from '../viewer/time.js';
import { pastPolls } from './logic.js';
import { openProfile, ProfileDialog } from './profile.js';
import type { PollEntry } from './room-polls.js';
import { ResultBars } from './results.js';
import { StaffPanel } from './staff-panel.js';

/** One past poll: question, moment and turnout; its final results fold out. */
function PastPoll({ entry }: { entry: PollEntry }) {
  const { t } = useT();
  const [open, setOpen] = useState(false);
  const { poll } = entry;
  return (
    <li class="pastpoll" data-testid="poll-past" data-poll-id={poll.id}>
      <button type="button" class="pastpoll__toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span class="pastpoll__question">{poll.question}</span>
        <span class="pastpoll__meta">
          {poll.atOffsetMs !== null && <>{t('polls.history.at', { time: formatClock(poll.atOffsetMs) })} · </>}
          {t('polls.votes', { count: entry.total })}
        </span>
      </button>
      {open && <ResultBars poll={poll} tallies={entry.tallies} total={entry.total} myVote={entry.myVote} final />}
    </li>
  );
}

/**
 * Beside the comments: staff get the poll controls (which list closed polls
 * too); everyone else the past polls with their final results, once there are
 * any, and the optional "About you" form behind a link.
 */
export function PollSide({ ctl, signedIn, staff }: { ctl: ViewerController; signedIn: boolean; staff: boolean }) {
  const { t } = useT();
  const state = useStore(ctl.polls.state);
  const past = pastPolls(state.entries);
  return (
    <>
      {staff && <StaffPanel ctl={ctl} />}
      {!staff && past.length > 0 && (
        <section class="pasts card" aria-labelledby="pasts-title" data-testid="poll-history">
          <h2 id="pasts-title" class="pasts__title">
            {t('polls.history.title')} <span class="room-section__count">{past.length}</span>
          </h2>
          <ul class="pasts__list">
            {past.map((e) => (
              <PastPoll key={e.poll.id} entry={e} />
            ))}
          </ul>
          {signedIn && (
            <button type="button" class="pollcard__link pasts__profile" onClick={openProfile} data-testid="profile-link">
              {t('polls.profile.link')}
            </button>
          )}
        </section>
      )}
      {signedIn && <ProfileDialog />}
    </>
  );
}
