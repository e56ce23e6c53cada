import { useEffect } from 'preact/hooks';
import { ErrorBanner } from '../components/error-banner.js';
import { Field, PasswordField } from '../components/field.js';
import { Page } from '../components/page.js';
import { useT } from '../i18n.js';
import { logIn } from '../lotus-api.js';
import { href, navigate, registerPath, safeNextPath, useRoute } from '../router.js';
import { signedIn, useSession } from '../session.js';
import { useForm } from '../use-form.js';
import { checkRequired } from '../validation.js';

export function LoginPage() {
  const { t } = useT();
  const route = useRoute();
  const session = useSession();
  const next = safeNextPath(route.query.get('next'));
  const form = useForm(
    'login',
    { handle: '', password: '' },
    { handle: (v) => checkRequired(v, 64), password: (v) => (v ? null : { key: 'validation.required' }) },
  );

  // Someone already logged in who opens #/login goes straight on.
  useEffect(() => {
    if (session.user) navigate(next, { replace: true });
  }, [session.user, next]);

  const onSubmit = (e: Event) => {
    e.preventDefault();
    void form.submit(async ({ handle, password }) => {
      const { user } = await logIn({ handle: handle.trim(), password });
      signedIn(user);
      navigate(next, { replace: true });
    });
  };

  return (
    <Page title={t('login.title')} intro={t('login.intro')} testId="login-page" width="narrow">
      <form class="card form" onSubmit={onSubmit} noValidate data-testid="login-form">
        <ErrorBanner
          error={form.error}
          messages={{ UNAUTHENTICATED: t('login.wrongCredentials') }}
          onDismiss={form.dismissError}
        />
        <Field
          {...form.bind('handle')}
          label={t('fields.handle')}
          autoComplete="username"
          autoCapitalize="none"
          spellcheck={false}
          maxLength={64}
          required
          testId="handle"
        />
        <PasswordField
          {...form.bind('password')}
          label={t('fields.password')}
          autoComplete="current-password"
          maxLength={256}
          required
          testId="password"
        />
        <button type="submit" class="button button--primary button--block" disabled={form.busy} data-testid="submit">
          {form.busy ? t('login.busy') : t('login.submit')}
        </button>
        <p class="form__switch">
          {t('login.noAccount')}{' '}
          <a href={href(registerPath(next))} data-testid="to-register">
            {t('login.toRegister')}
          </a>
        </p>
      </form>
    </Page>
  );
}
