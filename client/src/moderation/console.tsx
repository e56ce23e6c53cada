import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Room } from '../../../contracts/rooms.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useT } from '../i18n.js';
import { listRooms } from '../lotus-api.js';
import { href, navigate, useRoute } from '../router.js';
import { adminRoles, hasRole, useSession } from '../session.js';
import { useStore } from '../store.js';
import { useLoad } from '../use-load.js';
import { AppealsTab } from './appeals-tab.js';
import { AuditTab } from './audit-tab.js';
import { TabIcon } from './icons.js';
import { LiveTab } from './live-tab.js';
import { StaffLink } from './live-link.js';
import { OverviewTab } from './overview-tab.js';
import { QueueTab } from './queue-tab.js';
import { RulesTab } from './rules-tab.js';
import { UserCardHost } from './user-card.js';
import { consoleTabs, consolePath, type ConsoleTab, type TabProps } from './console-nav.js';

export { consoleTabs, consolePath, type ConsoleTab, type TabProps };
import '../styles/moderation.css';

// Both languages must carry the same keys: checked when compiling.
type EnStrings = typeof import('../locales/en.moderation.json');
type ZhStrings = typeof import('../locales/zh-CN.moderation.json');
const sameKeys: [EnStrings, ZhStrings] extends [ZhStrings, EnStrings] ? true : false = true;
void sameKeys;

function parseTab(value: string | null): ConsoleTab {
  return (consoleTabs as readonly string[]).includes(value ?? '') ? (value as ConsoleTab) : 'overview';
}

/**
 * The moderator console: a sidebar of sections (a scrolling tab row on phones)
 * and the chosen section. One realtime link serves all of them; queue arrivals
 * while another section is open add up on the Queue tab's counter.
 */
export function ModerationConsole() {
  const { t } = useT();
  const route = useRoute();
  const session = useSession();
  const tab = parseTab(route.query.get('tab'));
  const roomId = route.query.get('room') ?? '';
  const link = useMemo(() => new StaffLink(), []);
  const status = useStore(link.status);
  // Re-read on every section change: statuses move from upcoming to live to ended.
  const rooms = useLoad(`moderation-rooms:${tab}`, (signal) => listRooms(signal).then((r) => r.rooms));
  const [unseen, setUnseen] = useState(0);
  const tabRef = useRef(tab);
  tabRef.current = tab;

  useEffect(() => {
    link.start();
    const off = link.onQueue(() => {
      if (tabRef.current !== 'queue') setUnseen((n) => n + 1);
    });
    return () => {
      off();
      link.stop();
    };
  }, [link]);

  useEffect(() => {
    if (tab === 'queue') setUnseen(0);
  }, [tab]);

  const setRoom = (id: string) => navigate(consolePath(tab, id || undefined), { replace: true });
  const props: TabProps = { link, rooms: rooms.data ?? [], roomId, setRoom };
  const isAdmin = hasRole(session.user, adminRoles);

  return (
    <div class="mod-console" data-testid="moderation-console" data-tab={tab}>
      <nav class="mod-tabs" aria-label={t('moderation.sections')}>
        <ul class="mod-tabs__list">
          {consoleTabs.map((name) => (
            <li key={name}>
              <a
                class="mod-tabs__link"
                href={href(consolePath(name, roomId || undefined))}
                aria-current={tab === name ? 'page' : undefined}
                data-testid={`mod-tab-${name}`}
              >
                <TabIcon tab={name} />
                <span class="mod-tabs__label">{t(`moderation.tabs.${name}`)}</span>
                {name === 'queue' && unseen > 0 && (
                  <span class="mod-count mod-count--new" data-testid="queue-unseen" aria-label={t('moderation.queue.newCount', { count: unseen })}>
                    +{unseen}
                  </span>
                )}
              </a>
            </li>
          ))}
        </ul>
        <div class="mod-tabs__foot">
          <p class={`mod-link mod-link--${status}`} role="status" data-testid="link-status" data-status={status}>
            <span class="mod-link__dot" aria-hidden="true" />
            {t(`moderation.link.${status}`)}
          </p>
          {isAdmin && (
            <a class="mod-tabs__external" href="/admin/queues" target="_blank" rel="noopener" data-testid="bull-board-link">
              {t('moderation.jobQueues')} ↗
            </a>
          )}
        </div>
      </nav>
      <div class="mod-panel" data-testid={`mod-panel-${tab}`}>
        <ErrorBanner error={rooms.error} onRetry={rooms.reload} />
        {tab === 'overview' && <OverviewTab {...props} />}
        {tab === 'queue' && <QueueTab {...props} />}
        {tab === 'live' && <LiveTab {...props} />}
        {tab === 'rules' && <RulesTab {...props} />}
        {tab === 'audit' && <AuditTab {...props} />}
        {tab === 'appeals' && <AppealsTab {...props} />}
      </div>
      <UserCardHost rooms={props.rooms} />
    </div>
  );
}
