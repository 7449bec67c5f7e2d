/** Withdrawing an application, from its task list or once sent. */
import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import { errorMessage } from '../../components/page';
import { t } from '../../i18n';
import type { Application } from './loaded';

/** Withdrawing is a deliberate second step: a warning button, then a confirmation. */
export function Withdraw({ application, onDone }: { application: Application; onDone: () => void }) {
  const [asking, setAsking] = useState(false);
  const [problem, setProblem] = useState<string>();
  const withdraw = async () => {
    try {
      await api('POST', `/applications/${encodeURIComponent(application.application_id)}/withdraw`, { body: {} });
      onDone();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  return (
    <div class="govuk-!-margin-top-6">
      {problem && <p class="govuk-error-message">{problem}</p>}
      {asking ? (
        <div class="govuk-warning-text">
          <span class="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong class="govuk-warning-text__text">
            <span class="govuk-visually-hidden">{t('banner.important')}</span>
            {t('apply.withdraw_confirm')}
          </strong>
          <div class="govuk-button-group govuk-!-margin-top-4">
            <button type="button" class="govuk-button govuk-button--warning" onClick={withdraw}>
              {t('apply.withdraw')}
            </button>
            <button type="button" class="govuk-button govuk-button--secondary" onClick={() => setAsking(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" class="govuk-button govuk-button--secondary" onClick={() => setAsking(true)}>
          {t('apply.withdraw')}
        </button>
      )}
    </div>
  );
}
