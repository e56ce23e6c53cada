import type { Room, RoomStatus } from '../../../contracts/rooms.js';
import { useT } from '../i18n.js';

const order: RoomStatus[] = ['live', 'scheduled', 'ended'];

/** A room's title for a row, or its short id when the list doesn't have it. */
export function roomLabel(rooms: Room[], roomId: string | null | undefined): string {
  if (!roomId) return '';
  return rooms.find((r) => r.id === roomId)?.title ?? roomId.slice(0, 8);
}

interface RoomPickerProps {
  id: string;
  rooms: Room[];
  value: string;
  onValue: (roomId: string) => void;
  /** Which statuses to offer; all by default. */
  statuses?: RoomStatus[];
  /** The label of the empty choice ("All rooms"); without it a room must be chosen. */
  anyLabel?: string;
  label?: string;
  testId?: string;
}

/** A room select grouped by status, live first. */
export function RoomPicker({ id, rooms, value, onValue, statuses = order, anyLabel, label, testId }: RoomPickerProps) {
  const { t } = useT();
  const known = rooms.some((r) => r.id === value);
  return (
    <div class="field mod-field">
      <label class="field__label" for={id}>
        {label ?? t('moderation.room')}
      </label>
      <select id={id} class="field__input" value={value} onChange={(e) => onValue(e.currentTarget.value)} data-testid={testId}>
        <option value="">{anyLabel ?? t('moderation.chooseRoom')}</option>
        {value && !known && <option value={value}>{value.slice(0, 8)}</option>}
        {order
          .filter((s) => statuses.includes(s))
          .map((status) => {
            const list = rooms.filter((r) => r.status === status);
            if (list.length === 0) return null;
            return (
              <optgroup key={status} label={t(`status.${status}`)}>
                {list.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.title} · {r.ip}
                  </option>
                ))}
              </optgroup>
            );
          })}
      </select>
    </div>
  );
}
