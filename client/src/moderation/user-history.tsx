import type { ComponentChildren } from 'preact';
import type { Room } from '../../../contracts/rooms.js';
import { useT } from '../i18n.js';
import type { UserCard } from './api.js';
import { agoText, dateTimeText, shortId, spanText } from './format.js';
import { roomLabel } from './room-picker.js';

function Section({ title, count, open, children }: { title: string; count: number; open?: boolean; children: ComponentChildren }) {
  const { t } = useT();
  return (
    <details class="mod-history" open={open}>
      <summary class="mod-history__title">
        {title} <span class="mod-count">{count}</span>
      </summary>
      {count === 0 ? <p class="mod-history__empty">{t('moderation.userCard.none')}</p> : <ul class="mod-history__list">{children}</ul>}
    </details>
  );
}

function When({ iso }: { iso: string }) {
  const { t, lang } = useT();
  return (
    <time class="mod-history__when" dateTime={iso} title={dateTimeText(iso, lang)}>
      {agoText(iso, t)}
    </time>
  );
}

/** The card's record: recent comments and proposals, sanctions, past actions, reports both ways. */
export function UserHistory({ card, rooms }: { card: UserCard; rooms: Room[] }) {
  const { t } = useT();
  const report = (r: UserCard['reportsBy'][number], i: number) => (
    <li key={`${r.target_id}-${i}`} class="mod-history__row">
      <span class="mod-tag">{t(`moderation.targetType.${r.target_type}`, { defaultValue: r.target_type })}</span>
      <span>{t(`moderation.reportReason.${r.reason}`, { defaultValue: r.reason })}</span>
      <span class="mod-history__state">{t(`moderation.reportStatus.${r.status}`, { defaultValue: r.status })}</span>
      <When iso={r.created_at} />
    </li>
  );
  return (
    <div class="mod-user__history">
      <Section title={t('moderation.userCard.recentDanmaku')} count={card.recentDanmaku.length} open>
        {card.recentDanmaku.map((d) => (
          <li key={d.id} class="mod-history__row" data-testid="user-danmaku">
            <span class={`mod-history__text mod-history__text--${d.state}`}>{d.text}</span>
            <span class={`mod-tag mod-tag--${d.state}`}>{t(`moderation.danmakuState.${d.state}`, { defaultValue: d.state })}</span>
            <span class="mod-history__room">{roomLabel(rooms, d.room_id)}</span>
            <When iso={d.created_at} />
          </li>
        ))}
      </Section>
      <Section title={t('moderation.userCard.sanctions')} count={card.sanctions.length} open={card.sanctions.length > 0}>
        {card.sanctions.map((s) => {
          const length = s.expiresAt ? Date.parse(s.expiresAt) - Date.parse(s.createdAt) : null;
          return (
            <li key={s.id} class="mod-history__row">
              <span class={`mod-tag mod-tag--${s.kind}`}>{t(`moderation.userAction.${s.kind}`)}</span>
              <span>{spanText(length === null ? null : Math.round(length / 1000) * 1000, t)}</span>
              <span class="mod-history__room">{s.roomId ? roomLabel(rooms, s.roomId) : t('moderation.sanction.everywhere')}</span>
              <span class="mod-history__text">{s.reason}</span>
              {s.revokedAt && <span class="mod-history__state">{t('moderation.userCard.lifted')}</span>}
              <When iso={s.createdAt} />
            </li>
          );
        })}
      </Section>
      <Section title={t('moderation.userCard.actionsTaken')} count={card.actions.length}>
        {card.actions.map((a) => (
          <li key={a.id} class="mod-history__row">
            <span class="mod-tag">{t(`moderation.action.${a.action}`, { defaultValue: a.action })}</span>
            <span class="mod-history__text">{a.reason}</span>
            {a.actor_id === null && <span class="mod-tag mod-tag--auto">{t('moderation.audit.automatic')}</span>}
            <When iso={a.at} />
          </li>
        ))}
      </Section>
      <Section title={t('moderation.userCard.reportsAgainst')} count={card.reportsAgainst.length}>
        {card.reportsAgainst.map(report)}
      </Section>
      <Section title={t('moderation.userCard.reportsBy')} count={card.reportsBy.length}>
        {card.reportsBy.map(report)}
      </Section>
      <Section title={t('moderation.userCard.recentProposals')} count={card.recentProposals.length}>
        {card.recentProposals.map((p) => (
          <li key={p.id} class="mod-history__row" title={shortId(p.id)}>
            <span class="mod-history__text">{p.title}</span>
            <span class="mod-history__room">{p.ip}</span>
            <span class="mod-history__state">{t(`moderation.proposalStatus.${p.status}`, { defaultValue: p.status })}</span>
            <When iso={p.created_at} />
          </li>
        ))}
      </Section>
    </div>
  );
}
