/** Pieces the officer's screens share: the online state, signing in again without losing the
 * page, and what an error from the portal or the agent says to the officer. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { errorMessage } from '../../components/page';
import { has, t } from '../../i18n';
import { beginSignIn } from '../signin';
import { AgentError } from './agent';

export const RETURN_TO = 'ssp-staff-return';

export function useOnline(): boolean {
  const [online, setOnline] = useState(typeof navigator === 'undefined' ? true : navigator.onLine);
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    addEventListener('online', up);
    addEventListener('offline', down);
    return () => {
      removeEventListener('online', up);
      removeEventListener('offline', down);
    };
  }, []);
  return online;
}

/** Back to the staff IdP, then to this very page (its typed answers are kept as drafts). */
export async function signInAgain(): Promise<void> {
  sessionStorage.setItem(RETURN_TO, location.pathname + location.search);
  await beginSignIn();
}

export function isSignInExpired(error: unknown): boolean {
  return (error instanceof ApiError && error.status === 401) || (error instanceof AgentError && error.code === 'officer_sign_in_expired');
}

export function isOffline(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'network';
}

/** An agent's or the portal's refusal, in the officer's words. */
export function problemText(error: unknown): string {
  if (error instanceof AgentError) {
    if (error.code === 'device_problem' && error.deviceCode && has(`officer.device.${error.deviceCode}`)) return t(`officer.device.${error.deviceCode}`);
    if (has(`officer.agent_error.${error.code}`)) return t(`officer.agent_error.${error.code}`);
    return error.message || t('officer.agent_error.other');
  }
  if (error instanceof ApiError && has(`officer.error.${error.code}`)) return t(`officer.error.${error.code}`);
  return errorMessage(error);
}

export function SignInAgain() {
  return (
    <div class="govuk-warning-text" role="alert">
      <span class="govuk-warning-text__icon" aria-hidden="true">
        !
      </span>
      <strong class="govuk-warning-text__text">
        <span class="govuk-visually-hidden">{t('staff.warning')}</span>
        {t('officer.sign_in_expired')}{' '}
        <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" onClick={() => void signInAgain()}>
          {t('officer.sign_in_again')}
        </button>
      </strong>
    </div>
  );
}

export function OfflineBanner({ online }: { online: boolean }) {
  if (online) return null;
  return (
    <div class="govuk-notification-banner" role="region" aria-labelledby="offline-title">
      <div class="govuk-notification-banner__header">
        <h2 class="govuk-notification-banner__title" id="offline-title">
          {t('officer.offline_title')}
        </h2>
      </div>
      <div class="govuk-notification-banner__content">
        <p class="govuk-body">{t('officer.offline_body')}</p>
      </div>
    </div>
  );
}
