import { useState } from 'preact/hooks';
import type { Role, User } from '../../../contracts/auth.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Field } from '../components/field.js';
import { Page } from '../components/page.js';
import { RequireRole } from '../components/require-role.js';
import { useT } from '../i18n.js';
import { changeRole } from '../lotus-api.js';
import { adminRoles, signedIn, useSession } from '../session.js';
import { useForm } from '../use-form.js';
import { SetAsideCard } from './admin-set-aside.js';
import { checkUserId } from '../validation.js';

/** Every role, in the order the server lists them (contracts/auth.ts). */
const allRoles = ['fan', 'moderator', 'writer', 'admin'] as const satisfies readonly Role[];
// Fails to compile if the contracts gain a role this list lacks.
const coversEveryRole: Exclude<Role, (typeof allRoles)[number]> extends never ? true : false = true;
void coversEveryRole;

function isRole(value: string): value is Role {
  return (allRoles as readonly string[]).includes(value);
}

function RoleForm() {
  const { t } = useT();
  const session = useSession();
  const [changed, setChanged] = useState<User | null>(null);
  const form = useForm(
    'role',
    { userId: '', role: 'moderator' },
    { userId: checkUserId },
    { userId: { key: 'validation.userId' } },
  );
  const role: Role = isRole(form.values.role) ? form.values.role : 'fan';
  const isSelf = session.user !== null && form.values.userId.trim().toLowerCase() === session.user.id.toLowerCase();

  const onSubmit = (e: Event) => {
    e.preventDefault();
    setChanged(null);
    void form.submit(async (v) => {
      const { user } = await changeRole(v.userId.trim(), role);
      setChanged(user);
      if (session.user && user.id === session.user.id) signedIn(user);
    });
  };

  return (
    <form class="card form" onSubmit={onSubmit} noValidate data-testid="role-form" aria-labelledby="role-form-title">
      <h2 id="role-form-title" class="card__title">
        {t('admin.roleTitle')}
      </h2>
      {changed && (
        <div class="banner banner--success" role="status" data-testid="role-changed">
          <p class="banner__text">
            {t('admin.done', { name: changed.displayName, handle: changed.handle, role: t(`roles.${changed.role}`) })}
          </p>
        </div>
      )}
      <ErrorBanner error={form.error} onDismiss={form.dismissError} />
      <Field
        id={form.fieldId('userId')}
        label={t('admin.userId')}
        hint={t('admin.userIdHint')}
        value={form.values.userId}
        onValue={(v) => form.set('userId', v)}
        problem={form.problems.userId}
        autoCapitalize="none"
        autoComplete="off"
        spellcheck={false}
        class="field__input--mono"
        required
        testId="user-id"
      />
      <div class="field">
        <label class="field__label" for={form.fieldId('role')}>
          {t('admin.role')}
        </label>
        <select
          id={form.fieldId('role')}
          class="field__input"
          value={role}
          onChange={(e) => form.set('role', e.currentTarget.value)}
          aria-describedby="role-hint"
          data-testid="role-select"
        >
          {allRoles.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </select>
        <p id="role-hint" class="field__message">
          {t(`roleHints.${role}`)}
        </p>
      </div>
      {isSelf && role !== 'admin' && (
        <p class="banner banner--warning" role="note" data-testid="self-warning">
          {t('admin.selfWarning')}
        </p>
      )}
      <button type="submit" class="button button--primary" disabled={form.busy} data-testid="role-submit">
        {form.busy ? t('admin.busy') : t('admin.submit')}
      </button>
    </form>
  );
}

export function AdminPage() {
  const { t } = useT();
  return (
    <RequireRole roles={adminRoles}>
      <Page title={t('admin.title')} intro={t('admin.intro')} testId="admin-page">
        <RoleForm />
        <SetAsideCard />
      </Page>
    </RequireRole>
  );
}
