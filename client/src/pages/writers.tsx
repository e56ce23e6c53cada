import type { ProposalStatus } from '../../../contracts/proposals.js';
import { proposalStatuses } from '../../../contracts/proposals.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Page } from '../components/page.js';
import { RequireRole } from '../components/require-role.js';
import { useT } from '../i18n.js';
import { listRooms } from '../lotus-api.js';
import { exportHref, listForWriters, proposalSorts, type ProposalSort } from '../proposals/api.js';
import { franchisesOf } from '../proposals/labels.js';
import { useProposalList } from '../proposals/use-proposal-list.js';
import { href, navigate, useRoute } from '../router.js';
import { writerRoles } from '../session.js';
import { useLoad } from '../use-load.js';
import { AskAudience } from '../writers/ask-audience.js';
import { DetailPanel } from '../writers/detail-panel.js';
import { WritersFilters, type WritersQuery } from '../writers/writers-filters.js';
import { WritersList } from '../writers/writers-list.js';
import '../writers/styles.js';

const msParam = (raw: string | null) => (raw && /^\d+$/.test(raw) ? Number(raw) : null);

function writersHref(query: URLSearchParams, patch: Record<string, string | null>): string {
  const next = new URLSearchParams(query);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) next.delete(key);
    else next.set(key, value);
  }
  const text = next.toString();
  return text ? `/writers?${text}` : '/writers';
}

/** CSV and JSON downloads of every proposal of the franchise. */
function ExportButtons({ ip }: { ip: string }) {
  const { t } = useT();
  return (
    <div class="wexport" role="group" aria-label={t('writersRoom.export.label')}>
      <a class="button button--small" href={exportHref('csv', ip)} download="proposals.csv" data-testid="export-csv">
        {t('writersRoom.export.csv')}
      </a>
      <a class="button button--small button--ghost" href={exportHref('json', ip)} download="proposals.json" data-testid="export-json">
        {t('writersRoom.export.json')}
      </a>
    </div>
  );
}

function WritersRoom() {
  const { t } = useT();
  const route = useRoute();
  const rooms = useLoad('rooms', (signal) => listRooms(signal).then((r) => r.rooms));
  const ips = franchisesOf(rooms.data ?? []);
  const q = route.query;
  const status = q.get('status') ?? 'in_review';
  const sortParam = q.get('sort') ?? '';
  const query: WritersQuery = {
    ip: q.get('ip') || ips[0] || '',
    status,
    sort: (proposalSorts as readonly string[]).includes(sortParam) ? (sortParam as ProposalSort) : 'top',
    tag: q.get('tag') ?? '',
    fromMs: msParam(q.get('from')),
    toMs: msParam(q.get('to')),
  };
  if (q.get('ip') && !ips.includes(query.ip)) ips.unshift(query.ip);
  const statusFilter = (proposalStatuses as readonly string[]).includes(status) ? (status as ProposalStatus) : '';
  const selected = q.get('p');
  const list = useProposalList(`writers:${query.ip}:${status}:${query.sort}:${query.tag}:${query.fromMs}:${query.toMs}`, (cursor, signal) =>
    listForWriters({ ip: query.ip, status: statusFilter, sort: query.sort, tag: query.tag, fromMs: query.fromMs, toMs: query.toMs, limit: 20 }, cursor, signal),
  );
  const linkTo = (id: string) => href(writersHref(q, { p: id }));
  const change = (patch: Record<string, string | null>) => navigate(writersHref(q, patch), { replace: true });

  return (
    <Page title={t('writers.title')} intro={t('writersRoom.intro')} testId="writers-page" width="wide" actions={query.ip ? <ExportButtons ip={query.ip} /> : undefined}>
      <ErrorBanner error={rooms.error} onRetry={rooms.reload} />
      <WritersFilters ips={ips} query={query} onChange={change} />
      <div class="wlayout">
        <WritersList list={list} selected={selected} linkTo={linkTo} />
        <div class="wlayout__detail">
          {selected ? (
            <DetailPanel key={selected} id={selected} linkTo={linkTo} onChanged={list.replace} />
          ) : (
            <div class="card wdetail wdetail--empty" data-testid="writers-pick">
              <p class="wdetail__pick">{t('writersRoom.pick')}</p>
            </div>
          )}
        </div>
      </div>
      {query.ip && <AskAudience ip={query.ip} rooms={rooms.data ?? []} />}
    </Page>
  );
}

/** The writers' room (#/writers): review the audience's top proposals and answer them. */
export function WritersPage() {
  return (
    <RequireRole roles={writerRoles}>
      <WritersRoom />
    </RequireRole>
  );
}
