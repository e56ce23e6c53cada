import { Page } from '../components/page.js';
import { RequireRole } from '../components/require-role.js';
import { useT } from '../i18n.js';
import { ModerationConsole } from '../moderation/console.js';
import { staffRoles } from '../session.js';

/**
 * The moderator console (#/staff, moderators and admins): overview and premiere
 * scheduling, the review queue, the live room view, room rules, the audit log
 * and appeals. See client/src/moderation/.
 */
export function StaffPage() {
  const { t } = useT();
  return (
    <RequireRole roles={staffRoles}>
      <Page title={t('moderation.title')} intro={t('moderation.intro')} testId="staff-page" width="wide">
        <ModerationConsole />
      </Page>
    </RequireRole>
  );
}
