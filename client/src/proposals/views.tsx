import type { Proposal } from '../../../contracts/proposals.js';
import type { Room } from '../../../contracts/rooms.js';
import { GuestPrompt } from '../components/guest-prompt.js';
import { useT } from '../i18n.js';
import { useSession } from '../session.js';
import { listProposals, type ProposalSort } from './api.js';
import { SortTabs, TagFilter } from './board-controls.js';
import { useProposalUpdates } from './live.js';
import { ProposalListView } from './proposal-list.js';
import { SubmitForm } from './submit-form.js';
import { useProposalList } from './use-proposal-list.js';

const PAGE_SIZE = 12;

interface BoardViewProps {
  ip: string;
  sort: ProposalSort;
  tag: string;
  onSort(sort: ProposalSort): void;
  onTag(tag: string): void;
}

/** The public board of one franchise: sorted, filtered by tag, loading more as it scrolls. */
export function BoardView({ ip, sort, tag, onSort, onTag }: BoardViewProps) {
  const { t } = useT();
  const { user } = useSession();
  const list = useProposalList(`board:${ip}:${sort}:${tag}:${user?.id ?? ''}`, (cursor, signal) =>
    listProposals({ ip, sort, tag, limit: PAGE_SIZE }, cursor, signal),
  );
  // The caller's own proposals change status while they watch (approved, shortlisted...).
  useProposalUpdates(Boolean(user), list.replace);
  return (
    <section class="pboard__view" aria-label={t('proposals.tabs.board')}>
      <div class="pboard__filters">
        <SortTabs value={sort} onChange={onSort} />
        <TagFilter value={tag} onChange={onTag} />
      </div>
      {tag && (
        <p class="pboard__filtering" role="status">
          {t('proposals.board.filteredBy', { tag })}
        </p>
      )}
      <ProposalListView list={list} empty={tag ? t('proposals.board.emptyTag', { tag }) : t('proposals.board.empty', { ip })} onTag={onTag} />
    </section>
  );
}

/** "My proposals": every status, the moderation reasons and the writers' answers, live. */
export function MineView({ returnTo }: { returnTo: string }) {
  const { t } = useT();
  const { user, status } = useSession();
  const list = useProposalList(`mine:${user?.id ?? ''}`, (cursor, signal) =>
    user ? listProposals({ mine: true, sort: 'new', limit: PAGE_SIZE }, cursor, signal) : Promise.resolve({ items: [], nextCursor: null }),
  );
  useProposalUpdates(Boolean(user), list.upsert, list.reload);
  if (status === 'ready' && !user) return <GuestPrompt message={t('proposals.mine.guest')} returnTo={returnTo} />;
  return (
    <section class="pboard__view" aria-label={t('proposals.tabs.mine')}>
      <p class="note pboard__live">
        <span class="live-dot" aria-hidden="true" />
        {t('proposals.mine.live')}
      </p>
      <ProposalListView list={list} mine empty={t('proposals.mine.empty')} />
    </section>
  );
}

/** The submit form, for people who are logged in. */
export function NewView({ ip, rooms, returnTo, onSubmitted }: { ip: string; rooms: Room[]; returnTo: string; onSubmitted(p: Proposal): void }) {
  const { t } = useT();
  const { user, status } = useSession();
  if (status === 'loading') return null;
  if (!user) return <GuestPrompt message={t('proposals.form.guest')} returnTo={returnTo} />;
  return <SubmitForm ip={ip} rooms={rooms.filter((r) => r.ip === ip)} onSubmitted={onSubmitted} />;
}

/** How a proposal travels from a fan to the writers: the board's sidebar. */
export function HowItWorks() {
  const { t } = useT();
  const steps = ['submit', 'check', 'support', 'review', 'answer'] as const;
  return (
    <aside class="card how" aria-labelledby="how-title">
      <h2 id="how-title" class="card__title">
        {t('proposals.how.title')}
      </h2>
      <ol class="how__steps">
        {steps.map((step, i) => (
          <li key={step} class="how__step">
            <span class="how__num" aria-hidden="true">
              {i + 1}
            </span>
            <span>
              <strong>{t(`proposals.how.${step}`)}</strong>
              <span class="how__text">{t(`proposals.how.${step}Text`)}</span>
            </span>
          </li>
        ))}
      </ol>
    </aside>
  );
}
