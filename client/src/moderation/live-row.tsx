import type { Danmaku } from '../../../contracts/danmaku.js';
import { useT } from '../i18n.js';
import { openUserCard } from './user-card.js';

/** A comment's local clock time, e.g. 21:04:37. */
function clockTime(iso: string, lang: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(d);
}

/** A media position like 12:05 or 1:02:09. */
export function mediaTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

interface LiveRowProps {
  item: Danmaku;
  hiding: boolean;
  onHide: () => void;
  onMute: () => void;
}

/** One incoming comment with its one-click actions: Hide, Mute, and the author's card. */
export function LiveRow({ item, hiding, onHide, onMute }: LiveRowProps) {
  const { t, lang } = useT();
  return (
    <li class={hiding ? 'mod-live__row mod-live__row--hiding' : 'mod-live__row'} data-testid="live-item" data-id={item.id}>
      <time class="mod-live__time" dateTime={item.createdAt} title={t('moderation.live.at', { time: mediaTime(item.offsetMs) })}>
        {clockTime(item.createdAt, lang)}
      </time>
      <span class="mod-live__swatch" style={{ background: item.color }} aria-hidden="true" />
      <button type="button" class="mod-live__who" onClick={() => openUserCard(item.userId, item.roomId)} title={t('moderation.live.openCard')}>
        {item.userName}
        {item.staff && <span class="mod-tag mod-tag--staff">{t('moderation.live.staff')}</span>}
      </button>
      <span class="mod-live__text" data-testid="live-text">
        {item.text}
      </span>
      <span class="mod-live__actions">
        <button
          type="button"
          class="button button--small mod-remove"
          onClick={onHide}
          disabled={hiding}
          aria-label={t('moderation.live.hideLabel', { text: item.text })}
          data-testid="live-hide"
        >
          {t('moderation.live.hide')}
        </button>
        <button
          type="button"
          class="button button--small button--ghost"
          onClick={onMute}
          disabled={item.staff}
          aria-label={t('moderation.live.muteLabel', { name: item.userName })}
          data-testid="live-mute"
        >
          {t('moderation.live.mute')}
        </button>
      </span>
    </li>
  );
}
