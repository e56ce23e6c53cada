import { ErrorBanner } from '../components/error-banner.js';
import { Page } from '../components/page.js';
import { useT } from '../i18n.js';
import { listRooms } from '../lotus-api.js';
import { proposalSorts, type ProposalSort } from '../proposals/api.js';
import { IpPicker } from '../proposals/board-controls.js';
import { ProposalDetail } from '../proposals/detail.js';
import { franchisesOf, hueOf, returnPath } from '../proposals/labels.js';
import { BoardView, HowItWorks, MineView, NewView } from '../proposals/views.js';
import { href, navigate, useRoute } from '../router.js';
import { useLoad } from '../use-load.js';
import '../proposals/styles.js';

type View = 'board' | 'mine' | 'new';
const views: readonly View[] = ['board', 'mine', 'new'];

/** The query of the board: #/proposals?ip=…&view=board|mine|new&sort=…&tag=… */
function boardHref(query: URLSearchParams, patch: Record<string, string | null>): string {
  const next = new URLSearchParams(query);
  for (const [key, value] of Object.entries(patch)) {
    if (value) next.set(key, value);
    else next.delete(key);
  }
  const text = next.toString();
  return text ? `/proposals?${text}` : '/proposals';
}

/**
 * The proposals board (#/proposals): pick a franchise, browse and vote on its
 * proposals (Hot, Top, New, Controversial, by tag), follow "my proposals" live,
 * and submit a new one.
 */
export function ProposalsPage() {
  const { t } = useT();
  const route = useRoute();
  const rooms = useLoad('rooms', (signal) => listRooms(signal).then((r) => r.rooms));
  const ips = franchisesOf(rooms.data ?? []);
  const asked = route.query.get('ip');
  const ip = asked || ips[0] || '';
  if (asked && !ips.includes(asked)) ips.unshift(asked);
  const view: View = (views as readonly string[]).includes(route.query.get('view') ?? '') ? (route.query.get('view') as View) : 'board';
  const sortParam = route.query.get('sort') ?? '';
  const sort: ProposalSort = (proposalSorts as readonly string[]).includes(sortParam) ? (sortParam as ProposalSort) : 'hot';
  const tag = route.query.get('tag') ?? '';
  const go = (patch: Record<string, string | null>) => navigate(boardHref(route.query, patch), { replace: true });

  const tabs: Array<{ view: View; key: string }> = [
    { view: 'board', key: 'proposals.tabs.board' },
    { view: 'mine', key: 'proposals.tabs.mine' },
    { view: 'new', key: 'proposals.tabs.new' },
  ];
  const submit = (
    <a class="button button--primary" href={href(boardHref(route.query, { view: 'new', ip }))} data-testid="new-proposal">
      <span aria-hidden="true">✎</span> {t('proposals.submit')}
    </a>
  );

  return (
    <Page title={t('proposals.title')} intro={t('proposals.intro')} testId="proposals-page" width="wide" actions={submit}>
      <ErrorBanner error={rooms.error} onRetry={rooms.reload} />
      <div class="pboard__bar" style={{ '--hue': String(hueOf(ip)) }}>
        {ips.length > 0 && <IpPicker ips={ips} value={ip} onChange={(next) => go({ ip: next, tag: null })} />}
        <nav class="ptabs" aria-label={t('proposals.tabs.label')}>
          {tabs.map((tab) => (
            <a
              key={tab.view}
              class={`ptabs__tab ptabs__tab--${tab.view}`}
              href={href(boardHref(route.query, { view: tab.view === 'board' ? null : tab.view }))}
              aria-current={view === tab.view ? 'page' : undefined}
              data-testid={`tab-${tab.view}`}
            >
              {t(tab.key)}
            </a>
          ))}
        </nav>
      </div>
      <div class="pboard">
        <div class="pboard__main">
          {rooms.state === 'loading' && !rooms.data && (
            <p class="loading" role="status">
              {t('proposals.board.loading')}
            </p>
          )}
          {rooms.state === 'ready' && !ip && view !== 'mine' && (
            <p class="empty" data-testid="no-franchises">
              {t('proposals.board.noFranchises')}
            </p>
          )}
          {ip && view === 'board' && (
            <BoardView ip={ip} sort={sort} tag={tag} onSort={(s) => go({ sort: s === 'hot' ? null : s })} onTag={(tg) => go({ tag: tg || null, view: null })} />
          )}
          {view === 'mine' && <MineView returnTo={returnPath(route)} />}
          {ip && view === 'new' && (
            <NewView ip={ip} rooms={rooms.data ?? []} returnTo={returnPath(route)} onSubmitted={() => go({ view: 'mine' })} />
          )}
        </div>
        <HowItWorks />
      </div>
    </Page>
  );
}

/** One proposal (#/proposals/:id). */
export function ProposalPage({ id }: { id: string }) {
  return <ProposalDetail key={id} id={id} />;
}
