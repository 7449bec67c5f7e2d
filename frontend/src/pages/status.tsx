/**
 * Check an application's status without logging in (for someone who cannot get a login code
 * now): the reference and the date of birth give the status and what to do next, nothing else.
 */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import { ErrorSummary, StatusTag, type ErrorItem } from '../components/govuk';
import { errorMessage, Page } from '../components/page';
import { t } from '../i18n';

interface Answer {
  reference: string;
  status: string;
  next_step: string;
}

export function StatusCheck() {
  const [reference, setReference] = useState('');
  const [day, setDay] = useState('');
  const [month, setMonth] = useState('');
  const [year, setYear] = useState('');
  const [answer, setAnswer] = useState<Answer>();
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [sending, setSending] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const problems: ErrorItem[] = [];
    if (!reference.trim()) problems.push({ href: '#reference', text: t('status_check.reference_missing') });
    const d = Number(day), m = Number(month), y = Number(year);
    const valid = Number.isInteger(d) && Number.isInteger(m) && Number.isInteger(y) && d >= 1 && d <= 31 && m >= 1 && m <= 12 && y >= 1900 && y <= 2100;
    if (!valid) problems.push({ href: '#dob-day', text: t('status_check.date_invalid') });
    setErrors(problems);
    setAnswer(undefined);
    if (problems.length) return;
    const date = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    setSending(true);
    try {
      setAnswer(await api<Answer>('POST', '/status', { body: { reference: reference.trim(), date_of_birth: date } }));
    } catch (error) {
      const text = error instanceof ApiError && error.code === 'no_match' ? t('status_check.no_match') : errorMessage(error);
      setErrors([{ href: '#reference', text }]);
    } finally {
      setSending(false);
    }
  };

  return (
    <Page title={t('status_check.title')} errors={errors.length > 0}>
      <ErrorSummary errors={errors} />
      <h1 class="govuk-heading-l">{t('status_check.title')}</h1>
      <p class="govuk-body">{t('status_check.lead')}</p>
      {answer && (
        <div class="govuk-panel govuk-panel--confirmation" role="status">
          <h2 class="govuk-panel__title">
            <StatusTag status={answer.status} />
          </h2>
          <div class="govuk-panel__body">
            <span class="ssp-ltr">{answer.reference}</span>
            <br />
            {t(`status_check.next.${answer.next_step}`)}
          </div>
        </div>
      )}
      <form onSubmit={submit} noValidate>
        <div class={`govuk-form-group${errors.some((e) => e.href === '#reference') ? ' govuk-form-group--error' : ''}`}>
          <label class="govuk-label govuk-label--s" for="reference">
            {t('status_check.reference')}
          </label>
          <div class="govuk-hint" id="reference-hint">
            {t('status_check.reference_hint')}
          </div>
          <input
            class="govuk-input govuk-input--width-10 ssp-ltr"
            id="reference"
            name="reference"
            type="text"
            autocomplete="off"
            spellcheck={false}
            aria-describedby="reference-hint"
            value={reference}
            onInput={(e) => setReference((e.target as HTMLInputElement).value)}
          />
        </div>
        <div class={`govuk-form-group${errors.some((e) => e.href === '#dob-day') ? ' govuk-form-group--error' : ''}`}>
          <fieldset class="govuk-fieldset" role="group" aria-describedby="dob-hint">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{t('status_check.date_of_birth')}</legend>
            <div class="govuk-hint" id="dob-hint">
              {t('status_check.date_hint')}
            </div>
            <div class="govuk-date-input">
              {(
                [
                  ['dob-day', 'status_check.day', day, setDay, 2],
                  ['dob-month', 'status_check.month', month, setMonth, 2],
                  ['dob-year', 'status_check.year', year, setYear, 4],
                ] as const
              ).map(([id, label, value, set, width]) => (
                <div class="govuk-date-input__item" key={id}>
                  <div class="govuk-form-group">
                    <label class="govuk-label govuk-date-input__label" for={id}>
                      {t(label)}
                    </label>
                    <input
                      class={`govuk-input govuk-date-input__input govuk-input--width-${width}`}
                      id={id}
                      name={id}
                      type="text"
                      inputMode="numeric"
                      value={value}
                      onInput={(e) => set((e.target as HTMLInputElement).value)}
                    />
                  </div>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
        <button type="submit" class="govuk-button" disabled={sending}>
          {t('status_check.submit')}
        </button>
      </form>
      <p class="govuk-body">
        <a class="govuk-link" href="/login">
          {t('status_check.or_log_in')}
        </a>
      </p>
    </Page>
  );
}
