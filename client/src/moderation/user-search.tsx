import { useState } from 'preact/hooks';
import type { User } from '../../../contracts/auth.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useT } from '../i18n.js';
import { findUsers } from './api.js';
import { ListState, useRunner } from './ui.js';
import { openUserCard } from './user-card.js';

/** Handles are letters, digits and _ . -; an id is a UUID: anything else would be refused. */
const lookupText = /^@?[a-zA-Z0-9_.-]{1,36}$/;

/**
 * Finds an account by the start of its handle (or its id) and opens its user card:
 * how staff reach someone who is not in the queue, the live room or the audit log.
 */
export function UserSearch() {
  const { t } = useT();
  const [text, setText] = useState('');
  const [found, setFound] = useState<User[] | null>(null);
  const runner = useRunner();
  const valid = lookupText.test(text.trim());

  const search = async (e: Event) => {
    e.preventDefault();
    if (!valid) return;
    const res = await runner.run(() => findUsers(text.trim()));
    if (!res) return;
    setFound(res.users);
    if (res.users.length === 1) openUserCard(res.users[0].id);
  };

  return (
    <section class="mod-card" aria-labelledby="user-search-title" data-testid="user-search">
      <h2 id="user-search-title" class="mod-card__title">
        {t('moderation.userSearch.title')}
      </h2>
      <form class="mod-filters" role="search" onSubmit={search}>
        <div class="field mod-field">
          <label class="field__label" for="user-search-q">
            {t('moderation.userSearch.label')}
          </label>
          <input
            id="user-search-q"
            class="field__input"
            value={text}
            maxLength={40}
            autoComplete="off"
            spellcheck={false}
            placeholder={t('moderation.userSearch.placeholder')}
            aria-invalid={text.trim() !== '' && !valid}
            onInput={(e) => setText(e.currentTarget.value)}
            data-testid="user-search-input"
          />
        </div>
        <button type="submit" class="button mod-filters__go" disabled={!valid || runner.busy} data-testid="user-search-go">
          {t('moderation.userSearch.go')}
        </button>
      </form>
      <ErrorBanner error={runner.error} onDismiss={runner.clear} />
      {found && <ListState loading={runner.busy} empty={found.length === 0} emptyText={t('moderation.userSearch.none')} />}
      {found && found.length > 0 && (
        <ul class="mod-rooms" data-testid="user-search-results">
          {found.map((user) => (
            <li key={user.id} class="mod-rooms__row" data-testid="user-search-result" data-user-id={user.id}>
              <span class={`role-badge role-badge--${user.role}`}>{t(`roles.${user.role}`)}</span>
              <span class="mod-rooms__title">
                {user.displayName} <span class="mod-rooms__ip">@{user.handle}</span>
              </span>
              <button type="button" class="button button--small" onClick={() => openUserCard(user.id)} data-testid="user-search-open">
                {t('moderation.userSearch.open')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
