/** Application sent: the reference to keep, what happens next, and a way to print it. */
import { LoadState, useTitle } from '../../components/page';
import { formatDate, t } from '../../i18n';
import { programName, useApplication } from './loaded';

export function Confirmation({ id }: { id: string }) {
  const state = useApplication(id);
  useTitle(t('confirm.title'));
  const loaded = state.loaded;
  if (!loaded) return <LoadState loading={state.loading} error={state.error} retry={state.reload} />;
  const { application } = loaded;
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <div class="govuk-panel govuk-panel--confirmation">
          <h1 class="govuk-panel__title">{t('confirm.title')}</h1>
          <div class="govuk-panel__body">
            {t('confirm.reference')}
            <br />
            <strong class="ssp-reference">{application.reference}</strong>
          </div>
        </div>
        <p class="govuk-body">{programName(application)}</p>
        {application.submitted_at && <p class="govuk-body">{t('confirm.submitted_on', { date: formatDate(application.submitted_at, true) })}</p>}
        <p class="govuk-body">{t('confirm.keep')}</p>
        <h2 class="govuk-heading-m">{t('confirm.next_title')}</h2>
        <p class="govuk-body">{t('confirm.next_body')}</p>
        <p class="govuk-body ssp-no-print">
          <a class="govuk-link" href={`/applications/${application.application_id}`}>
            {t('confirm.track')}
          </a>
        </p>
        <p class="govuk-body ssp-no-print">
          <button type="button" class="govuk-button govuk-button--secondary" onClick={() => window.print()}>
            {t('common.print')}
          </button>
        </p>
      </div>
    </div>
  );
}
