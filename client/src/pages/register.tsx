import { useEffect } from 'preact/hooks';
import { ErrorBanner } from '../components/error-banner.js';
import { Field, PasswordField } from '../components/field.js';
import { Page } from '../components/page.js';
import { useT } from '../i18n.js';
import { register } from '../lotus-api.js';
import { href, loginPath, navigate, safeNextPath, useRoute } from '../router.js';
import { signedIn, useSession } from '../session.js';
import { useForm } from '../use-form.js';
import { checkDisplayName, checkHandle, checkPassword } from '../validation.js';

export function RegisterPage() {
  const { t } = useT();
  const route = useRoute();
  const session = useSession();
  const next = safeNextPath(route.query.get('next'));
  const form = useForm(
    'register',
    { handle: '', displayName: '', password: '' },
    { handle: checkHandle, displayName: checkDisplayName, password: checkPassword },
    {
      handle: { key: 'validation.handle' },
      displayName: { key: 'validation.displayName' },
      password: { key: 'validation.password' },
    },
  );

  useEffect(() => {
    if (session.user) navigate(next, { replace: true });
  }, [session.user, next]);

  const onSubmit = (e: Event) => {
    e.preventDefault();
    void form.submit(async ({ handle, displayName, password }) => {
      const name = displayName.normalize('NFKC').trim();
      const { user } = await register({ handle: handle.trim(), password, ...(name ? { displayName: name } : {}) });
      signedIn(user);
      navigate(next, { replace: true });
    });
  };

  return (
    <Page title={t('register.title')} intro={t('register.intro')} testId="register-page" width="narrow">
      <form class="card form" onSubmit={onSubmit} noValidate data-testid="register-form">
        <ErrorBanner
          error={form.error}
          messages={{ CONFLICT: t('register.handleTaken') }}
          onDismiss={form.dismissError}
        />
        <Field
          {...form.bind('handle')}
          label={t('fields.handle')}
          hint={t('fields.handleHint')}
          autoComplete="username"
          autoCapitalize="none"
          spellcheck={false}
          maxLength={32}
          required
          testId="handle"
        />
        <Field
          {...form.bind('displayName')}
          label={t('fields.displayName')}
          hint={t('fields.displayNameHint')}
          autoComplete="nickname"
          maxLength={40}
          testId="display-name"
        />
        <PasswordField
          {...form.bind('password')}
          label={t('fields.password')}
          hint={t('fields.passwordHint')}
          autoComplete="new-password"
          maxLength={256}
          required
          testId="password"
        />
        <button type="submit" class="button button--primary button--block" disabled={form.busy} data-testid="submit">
          {form.busy ? t('register.busy') : t('register.submit')}
        </button>
        <p class="form__switch">
          {t('register.haveAccount')}{' '}
          <a href={href(loginPath(next))} data-testid="to-login">
            {t('register.toLogin')}
          </a>
        </p>
      </form>
    </Page>
  );
}
