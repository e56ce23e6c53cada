import { useEffect, useState } from 'preact/hooks';
import { ErrorBanner } from '../components/error-banner.js';
import { useT } from '../i18n.js';
import { getAudit, type AuditEntry, type AuditFilter } from './api.js';
import type { TabProps } from './console-nav.js';
import { dateTimeText, shortId, spanText } from './format.js';
import { useUserNames } from './user-names.js';
import { roomLabel } from './room-picker.js';
import { openUserCard } from './user-card.js';
import { ListState, useRunner } from './ui.js';

const PAGE = 50;
const auditActions = ['hold', 'hide', 'restore', 'approve', 'reject', 'mute', 'unmute', 'ban', 'unban', 'shadow_mute', 'room_settings', 'global_terms', 'persist_retry', 'persist_discard'] as const;
/** A compact local stamp for log rows, e.g. "Nov 22, 21:04:37". */
function stampText(iso: string, lang: string): string {
  const d = new Date(iso);
  return new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(d);
}

/** The API's actor filter for automatic actions (actor null): AutoMod holds, hides after reports, the proposal worker's decisions. */
const AUTOMOD = 'automod';
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function AuditRow({ entry, rooms, names }: { entry: AuditEntry; rooms: TabProps['rooms']; names: Record<string, string> }) {
  const { t, lang } = useT();
  const duration = typeof entry.details.durationMs === 'number' ? entry.details.durationMs : null;
  const isSanction = entry.action === 'mute' || entry.action === 'ban' || entry.action === 'shadow_mute';
  return (
    <li class="mod-audit__row" data-testid="audit-entry" data-action={entry.action} data-target-id={entry.targetId}>
      <time class="mod-audit__when" dateTime={entry.at} title={dateTimeText(entry.at, lang)}>
        {stampText(entry.at, lang)}
      </time>
      <span class="mod-audit__who">
        {entry.actorId === null ? (
          <span class="mod-tag mod-tag--auto" data-testid="audit-automatic">
            {t('moderation.audit.automatic')}
          </span>
        ) : (
          <button type="button" class={names[entry.actorId] ? 'mod-linkish' : 'mod-linkish mod-mono'} onClick={() => openUserCard(entry.actorId!)} title={entry.actorId}>
            {names[entry.actorId] ?? shortId(entry.actorId)}
          </button>
        )}
      </span>
      <span class={`mod-tag mod-tag--act-${entry.action}`}>{t(`moderation.action.${entry.action}`, { defaultValue: entry.action })}</span>
      <span class="mod-audit__target">
        {t(`moderation.targetType.${entry.targetType}`, { defaultValue: entry.targetType })}{' '}
        {entry.targetType === 'user' ? (
          <button type="button" class={names[entry.targetId] ? 'mod-linkish' : 'mod-linkish mod-mono'} onClick={() => openUserCard(entry.targetId, entry.roomId)} title={entry.targetId}>
            {names[entry.targetId] ?? shortId(entry.targetId)}
          </button>
        ) : entry.targetType === 'room' ? (
          <span title={entry.targetId}>{roomLabel(rooms, entry.targetId)}</span>
        ) : (
          <span class="mod-mono" title={entry.targetId}>
            {entry.targetType === 'terms' ? '' : shortId(entry.targetId)}
          </span>
        )}
        {isSanction && <span class="mod-audit__span"> · {spanText(duration, t)}</span>}
        {entry.roomId && entry.targetType !== 'room' && <span class="mod-audit__room"> · {roomLabel(rooms, entry.roomId)}</span>}
      </span>
      <span class="mod-audit__reason">{entry.reason}</span>
    </li>
  );
}

/** The append-only audit log, newest first, filtered, one page at a time ("older" continues from the server's cursor). */
export function AuditTab({ rooms }: TabProps) {
  const { t } = useT();
  const [draft, setDraft] = useState<AuditFilter>({});
  const [filter, setFilter] = useState<AuditFilter>({});
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [started, setStarted] = useState(false);
  const runner = useRunner();
  const names = useUserNames(entries.flatMap((e) => [e.actorId, e.targetType === 'user' ? e.targetId : null]));

  const load = async (f: AuditFilter, cursor?: string) => {
    const res = await runner.run(() => getAudit({ ...f, cursor, limit: PAGE }));
    if (!res) return;
    setEntries((prev) => (cursor ? [...prev, ...res.entries] : res.entries));
    setNext(res.next);
    setStarted(true);
  };

  useEffect(() => {
    void load(filter);
  }, [filter]);

  const set = (key: keyof AuditFilter, value: string) => setDraft((d) => ({ ...d, [key]: value || undefined }));
  const apply = (e: Event) => {
    e.preventDefault();
    setFilter({ ...draft });
  };
  const automatic = draft.actorId === AUTOMOD;
  const badId = (v?: string) => !!v && v !== AUTOMOD && !uuid.test(v.trim());

  return (
    <section class="mod-section" aria-labelledby="audit-title" data-testid="audit-tab">
      <header class="mod-section__head">
        <h2 id="audit-title" class="mod-section__title">
          {t('moderation.audit.title')}
        </h2>
        <button type="button" class="button button--small button--ghost" onClick={() => void load(filter)} disabled={runner.busy} data-testid="audit-refresh">
          {t('moderation.refresh')}
        </button>
      </header>
      <form class="mod-filters" onSubmit={apply}>
        <div class="field mod-field">
          <label class="field__label" for="audit-action">
            {t('moderation.audit.action')}
          </label>
          <select id="audit-action" class="field__input" value={draft.action ?? ''} onChange={(e) => set('action', e.currentTarget.value)} data-testid="audit-action">
            <option value="">{t('moderation.audit.anyAction')}</option>
            {auditActions.map((a) => (
              <option key={a} value={a}>
                {t(`moderation.action.${a}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field mod-field">
          <label class="field__label" for="audit-type">
            {t('moderation.queue.type')}
          </label>
          <select id="audit-type" class="field__input" value={draft.targetType ?? ''} onChange={(e) => set('targetType', e.currentTarget.value)}>
            <option value="">{t('moderation.queue.allTypes')}</option>
            {(['danmaku', 'proposal', 'user'] as const).map((k) => (
              <option key={k} value={k}>
                {t(`moderation.targetType.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field mod-field">
          <label class="field__label" for="audit-actor">
            {t('moderation.audit.actor')}
          </label>
          <input
            id="audit-actor"
            class="field__input field__input--mono"
            value={automatic ? '' : (draft.actorId ?? '')}
            disabled={automatic}
            onInput={(e) => set('actorId', e.currentTarget.value.trim())}
            placeholder="uuid"
            aria-invalid={badId(draft.actorId)}
          />
          <label class="check">
            <input type="checkbox" checked={automatic} onChange={(e) => set('actorId', e.currentTarget.checked ? AUTOMOD : '')} data-testid="audit-automatic-only" />
            {t('moderation.audit.automaticOnly')}
          </label>
        </div>
        <div class="field mod-field">
          <label class="field__label" for="audit-target">
            {t('moderation.audit.target')}
          </label>
          <input id="audit-target" class="field__input field__input--mono" value={draft.targetId ?? ''} maxLength={64} onInput={(e) => set('targetId', e.currentTarget.value.trim())} placeholder="id" />
        </div>
        <button type="submit" class="button mod-filters__go" disabled={badId(draft.actorId)} data-testid="audit-apply">
          {t('moderation.audit.apply')}
        </button>
      </form>
      <ErrorBanner error={runner.error} onDismiss={runner.clear} />
      <ListState loading={!started || runner.busy} empty={entries.length === 0} emptyText={t('moderation.audit.empty')} />
      <ol class="mod-audit" data-testid="audit-list">
        {entries.map((entry) => (
          <AuditRow key={entry.id} entry={entry} rooms={rooms} names={names} />
        ))}
      </ol>
      {next && (
        <button type="button" class="button mod-more" disabled={runner.busy} onClick={() => void load(filter, next)} data-testid="audit-older">
          {t('moderation.audit.older')}
        </button>
      )}
    </section>
  );
}
