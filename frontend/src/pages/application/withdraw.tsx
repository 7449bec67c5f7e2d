/** Withdrawing an application, from its task list or once sent. */
import { api } from '../../api/client';
import { Withdraw } from '../../components/withdraw';
import { t } from '../../i18n';
import type { Application } from './loaded';

export function WithdrawApplication({ application, onDone }: { application: Application; onDone: () => void }) {
  return (
    <div class="govuk-!-margin-top-6">
      <Withdraw
        label={t('apply.withdraw')}
        warning={t('apply.withdraw_confirm')}
        withdraw={() => api('POST', `/applications/${encodeURIComponent(application.application_id)}/withdraw`, { body: {} })}
        onDone={onDone}
      />
    </div>
  );
}
