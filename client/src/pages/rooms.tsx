import type { Room, RoomStatus } from '../../../contracts/rooms.js';
import { ErrorBanner } from '../components/error-banner.js';
import { GuestPrompt } from '../components/guest-prompt.js';
import { Page } from '../components/page.js';
import { RoomCard } from '../components/room-card.js';
import { localTimeZone } from '../format.js';
import { useT } from '../i18n.js';
import { listRooms } from '../lotus-api.js';
import { useSession } from '../session.js';
import { useLoad } from '../use-load.js';

const sections: Array<{ status: RoomStatus; titleKey: string }> = [
  { status: 'live', titleKey: 'rooms.live' },
  { status: 'scheduled', titleKey: 'rooms.upcoming' },
  { status: 'ended', titleKey: 'rooms.ended' },
];

/** Live first, then the soonest upcoming, then the most recent past premieres. */
function inSection(rooms: Room[], status: RoomStatus): Room[] {
  const byStart = (a: Room, b: Room) => Date.parse(a.startsAt) - Date.parse(b.startsAt);
  const list = rooms.filter((r) => r.status === status).sort(byStart);
  return status === 'ended' ? list.reverse() : list;
}

export function RoomsPage() {
  const { t } = useT();
  const session = useSession();
  const rooms = useLoad('rooms', (signal) => listRooms(signal).then((r) => r.rooms));
  const list = rooms.data ?? [];

  const refresh = (
    <button
      type="button"
      class="button button--small button--ghost"
      onClick={rooms.reload}
      disabled={rooms.state === 'loading'}
      data-testid="rooms-refresh"
    >
      {t('rooms.refresh')}
    </button>
  );

  return (
    <Page title={t('rooms.title')} intro={t('rooms.intro')} testId="rooms-page" width="wide" actions={refresh}>
      {session.status === 'ready' && !session.user && <GuestPrompt message={t('rooms.guestPrompt')} returnTo="/rooms" />}
      <ErrorBanner error={rooms.error} onRetry={rooms.reload} />
      <div class="room-list" data-testid="room-list" aria-busy={rooms.state === 'loading'} data-state={rooms.state}>
        {rooms.state === 'loading' && !rooms.data && (
          <p class="loading" role="status">
            {t('rooms.loading')}
          </p>
        )}
        {rooms.state === 'ready' && list.length === 0 && (
          <p class="empty" data-testid="rooms-empty">
            {t('rooms.empty')}
          </p>
        )}
        {sections.map(({ status, titleKey }) => {
          const inThis = inSection(list, status);
          if (inThis.length === 0) return null;
          return (
            <section key={status} class={`room-section room-section--${status}`} aria-labelledby={`rooms-${status}`}>
              <h2 id={`rooms-${status}`} class="room-section__title">
                {t(titleKey)} <span class="room-section__count">{inThis.length}</span>
              </h2>
              <ul class="room-grid">
                {inThis.map((room) => (
                  <RoomCard key={room.id} room={room} />
                ))}
              </ul>
            </section>
          );
        })}
      </div>
      {list.length > 0 && <p class="footnote">{t('time.yourTimeZone', { zone: localTimeZone() })}</p>}
    </Page>
  );
}
