import { useState } from 'preact/hooks';
import { ErrorBanner } from '../components/error-banner.js';
import { useT } from '../i18n.js';
import { useLoad } from '../use-load.js';
import { decideAppeal, getAppeals, type Appeal } from './api.js';
import type { TabProps } from './console-nav.js';
import { agoText, dateTimeText, shortId } from './format.js';
import { openUserCard } from './user-card.js';
import { useUserNames } from './user-names.js';
import { ListState, useRunner } from './ui.js';

function AppealCard({ appeal, names, onDecided }: { appeal: Appeal; names: Record<string, string>; onDecided: (decision: 'uphold' | 'reverse') => void }) {
  const { t, lang } = useT();
  const [reply, setReply] = useState('');
  const [missing, setMissing] = useState(false);
  const runner = useRunner();
  const replyId = `appeal-reply-${appeal.id}`;

  const decide = (decision: 'uphold' | 'reverse') => {
    if (!reply.trim()) {
      setMissing(true);
      document.getElementById(replyId)?.focus();
      return;
    }
    void runner.run(() => decideAppeal(appeal.id, decision, reply.trim())).then((res) => res && onDecided(decision));
  };

  return (
    <li class="mod-appeal" data-testid="appeal" data-appeal-id={appeal.id}>
      <div class="mod-appeal__original">
        <p class="mod-item__meta">
          <span class={`mod-tag mod-tag--act-${appeal.action}`}>{t(`moderation.action.${appeal.action}`, { defaultValue: appeal.action })}</span>
          <span>
            {t(`moderation.targetType.${appeal.target_type}`, { defaultValue: appeal.target_type })}{' '}
            {names[appeal.target_id] ?? <span class="mod-mono">{shortId(appeal.target_id)}</span>}
          </span>
          <time class="mod-item__age" dateTime={appeal.action_at} title={dateTimeText(appeal.action_at, lang)}>
            {agoText(appeal.action_at, t)}
          </time>
        </p>
        <p class="mod-appeal__reason">
          <span class="field__label">{t('moderation.appeals.actionReason')}</span> {appeal.action_reason}
        </p>
      </div>
      <blockquote class="mod-quote">
        <p>{appeal.text}</p>
        <footer>
          <button type="button" class="mod-linkish" onClick={() => openUserCard(appeal.user_id)}>
            {t('moderation.appeals.by', { id: names[appeal.user_id] ?? shortId(appeal.user_id) })}
          </button>{' '}
          · {agoText(appeal.created_at, t)}
        </footer>
      </blockquote>
      <div class="field">
        <label class="field__label" for={replyId}>
          {t('moderation.appeals.reply')}
        </label>
        <textarea
          id={replyId}
          class="field__input"
          rows={2}
          maxLength={2000}
          value={reply}
          onInput={(e) => (setReply(e.currentTarget.value), setMissing(false))}
          placeholder={t('moderation.appeals.replyHint')}
          data-testid="appeal-reply"
        />
        {missing && <p class="field__message field__message--error">{t('moderation.appeals.replyNeeded')}</p>}
      </div>
      <ErrorBanner error={runner.error} onDismiss={runner.clear} />
      <div class="mod-form-actions">
        <button type="button" class="button" disabled={runner.busy} onClick={() => decide('uphold')} data-testid="appeal-uphold">
          {t('moderation.appeals.uphold')}
        </button>
        <button type="button" class="button button--primary" disabled={runner.busy} onClick={() => decide('reverse')} data-testid="appeal-reverse">
          {t('moderation.appeals.reverse')}
        </button>
      </div>
    </li>
  );
}

/** Open appeals, oldest first: the original action and the person's words; uphold or reverse it with a reply they will read. */
export function AppealsTab(_props: TabProps) {
  const { t } = useT();
  const [version, setVersion] = useState(0);
  const appeals = useLoad(`appeals|${version}`, (signal) => getAppeals(signal).then((r) => r.appeals));
  const [decided, setDecided] = useState<{ ids: string[]; last: 'uphold' | 'reverse' | null }>({ ids: [], last: null });
  const open = (appeals.data ?? []).filter((a) => !decided.ids.includes(a.id));
  const names = useUserNames(open.flatMap((a) => [a.user_id, a.target_type === 'user' ? a.target_id : null]));

  return (
    <section class="mod-section" aria-labelledby="appeals-title" data-testid="appeals-tab">
      <header class="mod-section__head">
        <h2 id="appeals-title" class="mod-section__title">
          {t('moderation.appeals.title')} <span class="mod-count">{open.length}</span>
        </h2>
        <button type="button" class="button button--small button--ghost" onClick={() => setVersion((n) => n + 1)} data-testid="appeals-refresh">
          {t('moderation.refresh')}
        </button>
      </header>
      <p class="note">{t('moderation.appeals.intro')}</p>
      <ErrorBanner error={appeals.error} onRetry={appeals.reload} />
      {decided.last && (
        <div class="banner banner--success" role="status" data-testid="appeal-decided">
          <p class="banner__text">{t(`moderation.appeals.done.${decided.last}`)}</p>
        </div>
      )}
      <ListState loading={appeals.state === 'loading'} empty={open.length === 0} emptyText={t('moderation.appeals.empty')} />
      <ol class="mod-list">
        {open.map((a) => (
          <AppealCard key={a.id} appeal={a} names={names} onDecided={(d) => setDecided((prev) => ({ ids: [...prev.ids, a.id], last: d }))} />
        ))}
      </ol>
    </section>
  );
}
