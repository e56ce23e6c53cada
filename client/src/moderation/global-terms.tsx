import { useEffect, useState } from 'preact/hooks';
import type { BlockedTerm } from '../../../contracts/moderation.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useT } from '../i18n.js';
import { adminRoles, hasRole, useSession } from '../session.js';
import { useLoad } from '../use-load.js';
import { getGlobalTerms, putGlobalTerms } from './api.js';
import { TermsEditor } from './terms-editor.js';
import { useRunner } from './ui.js';

/** The global term list, applied in every room before its own list: admins edit it, moderators read it. */
export function GlobalTerms() {
  const { t } = useT();
  const session = useSession();
  const isAdmin = hasRole(session.user, adminRoles);
  const loaded = useLoad('global-terms', (signal) => getGlobalTerms(signal).then((r) => r.terms));
  const [draft, setDraft] = useState<BlockedTerm[] | null>(null);
  const [saved, setSaved] = useState(false);
  const runner = useRunner();

  useEffect(() => {
    if (loaded.state === 'ready') setDraft(loaded.data);
  }, [loaded.state, loaded.data]);

  const dirty = draft !== null && JSON.stringify(draft) !== JSON.stringify(loaded.data);
  const save = () =>
    void runner.run(() => putGlobalTerms(draft ?? [])).then((res) => {
      if (!res) return;
      setSaved(true);
      loaded.reload();
    });

  return (
    <details class="mod-card mod-global" data-testid="global-terms">
      <summary class="mod-card__title">
        {t('moderation.global.title')} {draft && <span class="mod-count">{draft.length}</span>}
        {!isAdmin && <span class="mod-tag">{t('moderation.global.readOnly')}</span>}
      </summary>
      <p class="field__message">{isAdmin ? t('moderation.global.hintAdmin') : t('moderation.global.hintModerator')}</p>
      <ErrorBanner error={loaded.error ?? runner.error} onRetry={loaded.error ? loaded.reload : undefined} />
      {draft && (
        <TermsEditor
          idPrefix="global-terms"
          terms={draft}
          readOnly={!isAdmin}
          onChange={(terms) => {
            setDraft(terms);
            setSaved(false);
          }}
        />
      )}
      {isAdmin && (
        <div class="mod-savebar">
          {saved && !dirty && (
            <span class="mod-saved" role="status">
              ✓ {t('moderation.rules.saved')}
            </span>
          )}
          <button type="button" class="button button--primary" disabled={!dirty || runner.busy} onClick={save} data-testid="global-save">
            {runner.busy ? t('moderation.rules.saving') : t('moderation.global.save')}
          </button>
        </div>
      )}
    </details>
  );
}
