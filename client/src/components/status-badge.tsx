import type { RoomStatus } from '../../../contracts/rooms.js';
import { useT } from '../i18n.js';

export function StatusBadge({ status }: { status: RoomStatus }) {
  const { t } = useT();
  return (
    <span class={`badge badge--${status}`} data-testid="room-status" data-status={status}>
      {status === 'live' && <span class="badge__dot" aria-hidden="true" />}
      {t(`status.${status}`)}
    </span>
  );
}
