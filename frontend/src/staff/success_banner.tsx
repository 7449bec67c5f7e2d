/** The banner that says a staff action worked. */
import { t } from '../i18n';

/** A success message at the top of a page (GOV.UK notification banner). */
export function SuccessBanner({ text, role = 'alert' }: { text: string; role?: 'alert' | 'status' }) {
  return (
    <div class="govuk-notification-banner govuk-notification-banner--success" role={role} aria-labelledby="success-title">
      <div class="govuk-notification-banner__header">
        <h2 class="govuk-notification-banner__title" id="success-title">
          {t('banner.success')}
        </h2>
      </div>
      <div class="govuk-notification-banner__content">
        <p class="govuk-notification-banner__heading">{text}</p>
      </div>
    </div>
  );
}
