import { useEffect, useState } from 'preact/hooks';
import { CreateRoomForm } from '../components/create-room-form.js';
import { StatusBadge } from '../components/status-badge.js';
import { useT } from '../i18n.js';
import { href } from '../router.js';
import { useLoad } from '../use-load.js';
import { getAppeals, getQueue } from './api.js';
import { consolePath, type TabProps } from './console-nav.js';
import { UserSearch } from './user-search.js';

/**
 * The console's landing: what waits (queue, appeals), which premieres are live
 * (one step to watch or change their rules), finding an account's card, and the form
 * that schedules a premiere.
 */
export function OverviewTab({ link, rooms }: TabProps) {
  const { t } = useT();
  const [version, setVersion] = useState(0);
  const counts = useLoad(`overview|${version}`, async (signal) => {
    const [queue, appeals] = await Promise.all([getQueue({ limit: 500 }, signal), getAppeals(signal)]);
    return { queue: queue.items.length, held: queue.items.filter((i) => i.kind === 'held').length, appeals: appeals.appeals.length };
  });

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = link.onQueue(() => {
      clearTimeout(timer);
      // The item reaches the database a moment after its event.
      timer = setTimeout(() => setVersion((n) => n + 1), 800);
    });
    return () => (off(), clearTimeout(timer));
  }, [link]);

  const live = rooms.filter((r) => r.status === 'live');
  const soon = rooms.filter((r) => r.status === 'scheduled').sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  const n = (value: number | undefined) => (value === undefined ? '–' : String(value));

  return (
    <div class="mod-overview" data-testid="overview-tab">
      <div class="mod-tiles">
        <a class="mod-tile mod-tile--queue" href={href(consolePath('queue'))} data-testid="tile-queue">
          <span class="mod-tile__num">{n(counts.data?.queue)}</span>
          <span class="mod-tile__label">{t('moderation.overview.queue')}</span>
          <span class="mod-tile__sub">{t('moderation.overview.held', { count: counts.data?.held ?? 0 })}</span>
        </a>
        <a class="mod-tile mod-tile--live" href={href(consolePath('live'))}>
          <span class="mod-tile__num">{live.length}</span>
          <span class="mod-tile__label">{t('moderation.overview.live')}</span>
          <span class="mod-tile__sub">{t('moderation.overview.upcoming', { count: soon.length })}</span>
        </a>
        <a class="mod-tile mod-tile--appeals" href={href(consolePath('appeals'))}>
          <span class="mod-tile__num">{n(counts.data?.appeals)}</span>
          <span class="mod-tile__label">{t('moderation.overview.appeals')}</span>
          <span class="mod-tile__sub">{t('moderation.overview.appealsSub')}</span>
        </a>
      </div>
      {live.length > 0 && (
        <section class="mod-card" aria-labelledby="overview-live">
          <h2 id="overview-live" class="mod-card__title">
            {t('moderation.overview.liveNow')}
          </h2>
          <ul class="mod-rooms">
            {live.map((room) => (
              <li key={room.id} class="mod-rooms__row">
                <StatusBadge status={room.status} />
                <span class="mod-rooms__title">
                  {room.title} <span class="mod-rooms__ip">{room.ip}</span>
                </span>
                <a class="button button--small button--primary" href={href(consolePath('live', room.id))}>
                  {t('moderation.overview.watch')}
                </a>
                <a class="button button--small button--ghost" href={href(consolePath('rules', room.id))}>
                  {t('moderation.overview.rules')}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <UserSearch />
      <CreateRoomForm />
    </div>
  );
}
