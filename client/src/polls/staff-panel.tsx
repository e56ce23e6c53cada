import { useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useT } from '../i18n.js';
import { useStore } from '../store.js';
import type { ViewerController } from '../viewer/controller.js';
import { formatClock, usePoll } from '../viewer/time.js';
import { formatLeft } from './labels.js';
import { remainingMs } from './logic.js';
import type { PollEntry } from './room-polls.js';
import { ResultBars } from './results.js';
import { SegmentsPanel } from './segments.js';
import { StaffForm } from './staff-form.js';

/** "30 sec", "2 min", "1.5 min": a poll's length in the reader's language. */
function formatLength(ms: number, lang: string): string {
  const s = ms / 1000;
  const unit = s < 60 ? 'second' : 'minute';
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(s < 60 ? s : s / 60);
}

/** One poll in the staff list, with its action (open, close, or segments). */
function StaffItem({ entry, ctl, replay }: { entry: PollEntry; ctl: ViewerController; replay: boolean }) {
  const { t, lang } = useT();
  const { poll } = entry;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [segments, setSegments] = useState(false);
  const left = usePoll(() => (poll.status === 'open' ? remainingMs(poll, ctl.serverNow()) : 0), 1000);

  async function act(action: 'open' | 'close') {
    setBusy(true);
    setError(null);
    try {
      await ctl.polls[action](poll.id);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError('UNKNOWN', String(err), 0));
      // Someone else opened or closed it meanwhile: show the room as it is now.
      void ctl.polls.refresh().catch(() => undefined);
    } finally {
      setBusy(false);
    }
  }

  const summary = t('polls.staff.summary', {
    kind: poll.kind === 'multi' ? `${t('polls.staff.multi')} (${poll.maxChoices})` : t('polls.staff.single'),
    duration: formatLength(poll.durationMs, lang),
    visibility: t(`polls.staff.visibility.${poll.resultsVisibility}`),
  });
  return (
    <li class={`staffpoll staffpoll--${poll.status}`} data-testid={`poll-staff-${poll.status}`} data-poll-id={poll.id}>
      <div class="staffpoll__head">
        <p class="staffpoll__question">{poll.question}</p>
        {poll.status === 'draft' && !replay && (
          <button type="button" class="button button--small button--primary" disabled={busy} onClick={() => void act('open')} data-testid="poll-open">
            {t('polls.staff.open')}
          </button>
        )}
        {poll.status === 'open' && (
          <button type="button" class="button button--small" disabled={busy} onClick={() => void act('close')} data-testid="poll-close">
            {t('polls.staff.close')}
          </button>
        )}
        {poll.status === 'closed' && (
          <button type="button" class="button button--small button--ghost" aria-expanded={segments} onClick={() => setSegments(!segments)} data-testid="poll-segments-toggle">
            {segments ? t('polls.staff.hideSegments') : t('polls.staff.segments')}
          </button>
        )}
      </div>
      <p class="staffpoll__meta">
        {summary}
        {poll.status === 'draft' && replay && <> · {t('polls.staff.neverOpened')}</>}
        {poll.status === 'draft' && !replay && poll.atOffsetMs !== null && <> · {t('polls.staff.autoOpens', { time: formatClock(poll.atOffsetMs) })}</>}
        {poll.status === 'open' && <> · {left > 0 ? t('polls.left', { time: formatLeft(left) }) : t('polls.closing')}</>}
        {poll.status !== 'draft' && <> · {t('polls.votes', { count: entry.total })}</>}
      </p>
      {poll.status === 'open' && entry.tallies && <ResultBars poll={poll} tallies={entry.tallies} total={entry.total} myVote={null} />}
      {segments && (
        <>
          <ResultBars poll={poll} tallies={entry.tallies} total={entry.total} myVote={null} final />
          <SegmentsPanel poll={poll} />
        </>
      )}
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
    </li>
  );
}

/**
 * Staff controls for this room's polls, in the viewer page: create a draft,
 * open drafts, close open polls early, and read closed polls by segment.
 * Polls are asked live: once the premiere has ended the server refuses to
 * create or open one (ROOM_NOT_LIVE), so a replay offers neither and keeps
 * only the list with its results.
 */
export function StaffPanel({ ctl }: { ctl: ViewerController }) {
  const { t } = useT();
  const state = useStore(ctl.polls.state);
  const [creating, setCreating] = useState(false);
  // Read on the server's clock every second, so the controls go away when the premiere ends on screen.
  const replay = usePoll(() => ctl.phase() === 'ended', 1000);
  const groups = (['open', 'draft', 'closed'] as const).map((status) => ({
    status,
    items: state.entries.filter((e) => e.poll.status === status).reverse(),
  }));
  const titles = { open: t('polls.staff.running'), draft: t('polls.staff.drafts'), closed: t('polls.staff.closed') };

  return (
    <section class="staffpolls card" aria-labelledby="staffpolls-title" data-testid="poll-staff">
      <div class="staffpolls__head">
        <h2 id="staffpolls-title" class="staffpolls__title">
          {t('polls.staff.title')}
        </h2>
        {!creating && !replay && (
          <button type="button" class="button button--small button--primary" onClick={() => setCreating(true)} data-testid="poll-new">
            + {t('polls.staff.new')}
          </button>
        )}
      </div>
      {replay && (
        <p class="staffpolls__empty" data-testid="poll-staff-replay">
          {t('polls.staff.replay')}
        </p>
      )}
      {creating && !replay && <StaffForm ctl={ctl} onDone={() => setCreating(false)} />}
      {state.entries.length === 0 && !creating && !replay && <p class="staffpolls__empty">{t('polls.staff.none')}</p>}
      {groups.map(
        (g) =>
          g.items.length > 0 && (
            <div key={g.status} class="staffpolls__group">
              <h3 class="staffpolls__label">
                {titles[g.status]} <span class="room-section__count">{g.items.length}</span>
              </h3>
              <ul class="staffpolls__list">
                {g.items.map((e) => (
                  <StaffItem key={e.poll.id} entry={e} ctl={ctl} replay={replay} />
                ))}
              </ul>
            </div>
          ),
      )}
    </section>
  );
}
