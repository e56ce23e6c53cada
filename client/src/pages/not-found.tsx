import { Page } from '../components/page.js';
import { useT } from '../i18n.js';
import { href } from '../router.js';

export function NotFoundPage() {
  const { t } = useT();
  return (
    <Page title={t('notFound.title')} intro={t('notFound.body')} testId="not-found-page">
      <a class="button button--primary" href={href('/rooms')}>
        {t('notFound.home')}
      </a>
    </Page>
  );
}
