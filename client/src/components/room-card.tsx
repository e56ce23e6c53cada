import type { Room } from '../../../contracts/rooms.js';
import { formatDateTime, formatDuration, formatRelative } from '../format.js';
import { useT } from '../i18n.js';
import { href } from '../router.js';
import { StatusBadge } from './status-badge.js';

/** A stable hue per room so each premiere gets its own poster colour. */
function hueOf(id: string): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
  return hash % 360;
}

export function RoomCard({ room }: { room: Room }) {
  const { t, lang } = useT();
  const when = formatDateTime(room.startsAt, lang);
  const timeKey = room.status === 'scheduled' ? 'time.startsAt' : room.status === 'live' ? 'time.startedAt' : 'time.endedAt';
  const hue = hueOf(room.id);
  return (
    <li class="room-grid__item">
      <a
        class={`room-card room-card--${room.status}`}
        href={href(`/rooms/${encodeURIComponent(room.id)}`)}
        data-testid="room-item"
        data-room-id={room.id}
      >
        <div class="room-card__poster" style={{ '--hue': String(hue) }} aria-hidden="true">
          <span class="room-card__initial">{Array.from(room.title)[0] ?? '•'}</span>
        </div>
        <div class="room-card__body">
          <StatusBadge status={room.status} />
          <h3 class="room-card__title">{room.title}</h3>
          <p class="room-card__series">{room.ip}</p>
          <p class="room-card__time">
            <time dateTime={room.startsAt}>{t(timeKey, { time: when })}</time>
            {room.status === 'scheduled' && <span class="room-card__relative"> · {formatRelative(room.startsAt, lang)}</span>}
            <span class="room-card__duration"> · {formatDuration(room.durationMs, t)}</span>
          </p>
        </div>
      </a>
    </li>
  );
}
