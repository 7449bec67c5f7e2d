/**
 * Withdrawing (an application, a consent) is a deliberate second step: a button, then a warning
 * with the same button to confirm and one to cancel.
 */
import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { errorMessage } from './page';

export function Withdraw({ label, warning, withdraw, onDone }: { label: string; warning: string; withdraw: () => Promise<unknown>; onDone: () => void }) {
  const [asking, setAsking] = useState(false);
  const [problem, setProblem] = useState<string>();
  const confirm = async () => {
    try {
      await withdraw();
      onDone();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  if (!asking)
    return (
      <button type="button" class="govuk-button govuk-button--secondary" onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  return (
    <div class="govuk-warning-text">
      <span class="govuk-warning-text__icon" aria-hidden="true">
        !
      </span>
      <strong class="govuk-warning-text__text">
        <span class="govuk-visually-hidden">{t('banner.important')}</span>
        {warning}
      </strong>
      {problem && <p class="govuk-error-message">{problem}</p>}
      <div class="govuk-button-group govuk-!-margin-top-4">
        <button type="button" class="govuk-button govuk-button--warning" onClick={confirm}>
          {label}
        </button>
        <button type="button" class="govuk-button govuk-button--secondary" onClick={() => setAsking(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}
