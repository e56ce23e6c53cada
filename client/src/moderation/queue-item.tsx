import type { QueueItem } from '../../../contracts/moderation.js';
import type { Room } from '../../../contracts/rooms.js';
import { useT } from '../i18n.js';
import { agoText, dateTimeText, reasonText, reasonTone, shortId } from './format.js';
import { roomLabel } from './room-picker.js';
import { openUserCard } from './user-card.js';

/** A queue row's identity: type and id together. */
export const itemKey = (item: Pick<QueueItem, 'targetType' | 'targetId'>) => `${item.targetType}:${item.targetId}`;

/** Comments and proposals can be approved or removed from the queue; accounts go through their card. */
export const isReviewable = (item: QueueItem): item is QueueItem & { targetType: 'danmaku' | 'proposal' } =>
  item.targetType === 'danmaku' || item.targetType === 'proposal';

interface QueueRowProps {
  item: QueueItem;
  rooms: Room[];
  now: number;
  selected: boolean;
  fresh: boolean;
  busy: boolean;
  onSelect: (selected: boolean) => void;
  onDecide: (decision: 'approve' | 'remove') => void;
}

/**
 * One waiting item: what it is, why it waits, how long, the text itself (always
 * as text, never markup), and its actions.
 */
export function QueueRow({ item, rooms, now, selected, fresh, busy, onSelect, onDecide }: QueueRowProps) {
  const { t, lang } = useT();
  const key = itemKey(item);
  const reviewable = isReviewable(item);
  const classes = ['mod-item', `mod-item--${item.kind}`, selected && 'mod-item--selected', fresh && 'mod-item--fresh'];
  return (
    <li class={classes.filter(Boolean).join(' ')} data-testid="queue-item" data-target-id={item.targetId} data-type={item.targetType}>
      <div class="mod-item__select">
        {reviewable && (
          <input
            type="checkbox"
            id={`select-${key}`}
            checked={selected}
            onChange={(e) => onSelect(e.currentTarget.checked)}
            aria-label={t('moderation.queue.selectItem', { text: item.preview })}
            data-testid="queue-select"
          />
        )}
      </div>
      <div class="mod-item__main">
        <p class="mod-item__meta">
          <span class={`mod-tag mod-tag--${item.targetType}`}>{t(`moderation.targetType.${item.targetType}`)}</span>
          <span class={`mod-tag mod-tag--${item.kind}`}>
            {item.kind === 'reported' ? t('moderation.queue.reported', { count: item.reports }) : t('moderation.queue.held')}
          </span>
          {fresh && <span class="mod-tag mod-tag--fresh">{t('moderation.queue.fresh')}</span>}
          {item.roomId && <span class="mod-item__room">{roomLabel(rooms, item.roomId)}</span>}
          {item.ip && <span class="mod-item__room">{item.ip}</span>}
          <time class="mod-item__age" dateTime={item.since} title={dateTimeText(item.since, lang)}>
            {agoText(item.since, t, now)}
          </time>
        </p>
        <p class="mod-item__preview" data-testid="queue-preview">
          {item.preview || t('moderation.queue.noPreview')}
        </p>
        {item.reasons.length > 0 && (
          <ul class="mod-reasons" aria-label={t('moderation.queue.reasons')}>
            {item.reasons.map((code) => (
              <li key={code} class={`mod-reason mod-reason--${reasonTone(code)}`} title={code}>
                {reasonText(code, t)}
              </li>
            ))}
          </ul>
        )}
        {item.reports > 0 && item.kind === 'held' && <p class="mod-item__note">{t('moderation.queue.alsoReported', { count: item.reports })}</p>}
      </div>
      <div class="mod-item__actions">
        {reviewable && (
          <>
            <button type="button" class="button button--small mod-approve" disabled={busy} onClick={() => onDecide('approve')} data-testid="queue-approve">
              {t('moderation.queue.approve')}
            </button>
            <button type="button" class="button button--small mod-remove" disabled={busy} onClick={() => onDecide('remove')} data-testid="queue-remove">
              {t('moderation.queue.remove')}
            </button>
          </>
        )}
        {item.authorId && (
          <button
            type="button"
            class="button button--small button--ghost"
            onClick={() => openUserCard(item.authorId!, item.roomId)}
            title={t('moderation.userCard.idTitle', { id: shortId(item.authorId) })}
            data-testid="queue-user-card"
          >
            {item.targetType === 'user' ? t('moderation.queue.reviewAccount') : t('moderation.queue.author')}
          </button>
        )}
      </div>
    </li>
  );
}
