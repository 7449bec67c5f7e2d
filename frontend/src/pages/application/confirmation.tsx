/**
 * Application sent: a receipt to keep, for a person without email too. The reference in large
 * type with a QR code of it (an officer can scan it), the programme, when this sending happened
 * (a resending after a request for information shows its own time), what happens next, and
 * print / save buttons; printed, the page is the receipt alone (no header, menu or buttons).
 */
import { LoadState, useTitle } from '../../components/page';
import { formatDate, t } from '../../i18n';
import { programName, useApplication, type Application } from './loaded';
import { QrCode } from './qr';

/** When this sending happened: the latest "submitted" in the timeline (a resending after a
 * request for information is one too), else the application's first submission. */
export function sentAt(application: Application): string | null | undefined {
  const sendings = (application.timeline ?? []).filter((e) => e.to === 'submitted').map((e) => e.at);
  return sendings.length ? sendings.reduce((a, b) => (a > b ? a : b)) : application.submitted_at;
}

export function Confirmation({ id }: { id: string }) {
  const state = useApplication(id);
  useTitle(t('confirm.title'));
  const loaded = state.loaded;
  if (!loaded) return <LoadState loading={state.loading} error={state.error} retry={state.reload} />;
  const { application } = loaded;
  const resent = (application.timeline ?? []).filter((e) => e.to === 'submitted').length > 1;
  const when = sentAt(application);
  const reference = application.reference ?? '';
  return (
    <div class="govuk-grid-row ssp-receipt">
      <div class="govuk-grid-column-two-thirds">
        <div class="govuk-panel govuk-panel--confirmation">
          <h1 class="govuk-panel__title">{resent ? t('confirm.title_resent') : t('confirm.title')}</h1>
          <div class="govuk-panel__body">
            {t('confirm.reference')}
            <br />
            <strong class="ssp-reference ssp-ltr" id="receipt-reference">
              {reference}
            </strong>
          </div>
        </div>
        <h2 class="govuk-heading-m">{t('confirm.receipt_title')}</h2>
        <dl class="govuk-summary-list" id="receipt">
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">{t('applications.reference')}</dt>
            <dd class="govuk-summary-list__value">
              <span class="ssp-ltr">{reference}</span>
            </dd>
          </div>
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">{t('applications.programme')}</dt>
            <dd class="govuk-summary-list__value">{programName(application)}</dd>
          </div>
          {when && (
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">{resent ? t('confirm.resent_on_label') : t('confirm.sent_on_label')}</dt>
              <dd class="govuk-summary-list__value" id="receipt-date">
                {formatDate(when, true)}
              </dd>
            </div>
          )}
        </dl>
        {reference && (
          <figure class="ssp-qr-figure govuk-!-margin-0 govuk-!-margin-bottom-6">
            <QrCode text={reference} label={t('confirm.qr_label', { reference })} />
            <figcaption class="govuk-body-s">{t('confirm.qr_caption')}</figcaption>
          </figure>
        )}
        <p class="govuk-body">{t('confirm.keep')}</p>
        <h2 class="govuk-heading-m">{t('confirm.next_title')}</h2>
        <p class="govuk-body">{t('confirm.next_body')}</p>
        <p class="govuk-body">{t('confirm.without_email')}</p>
        <div class="govuk-button-group ssp-no-print">
          <button type="button" class="govuk-button govuk-button--secondary" onClick={() => window.print()}>
            {t('confirm.print')}
          </button>
          <a class="govuk-link" href={`/applications/${application.application_id}`}>
            {t('confirm.track')}
          </a>
        </div>
      </div>
    </div>
  );
}
