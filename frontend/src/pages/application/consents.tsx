/** The programme's statements the person agrees to before sending, and what submit says of them. */
import { ErrorMessage } from '../../components/govuk';
import { locale, localized, t } from '../../i18n';
import type { ConsentStatement } from './loaded';

/** What submit sends of the person's agreement, and the language the statements were read in. */
export function consentBody(statements: ConsentStatement[], agreed: Set<string>): Record<string, unknown> {
  return { consents: Object.fromEntries(statements.map((c) => [c.id, agreed.has(c.id)])), locale: locale() };
}

/** The programme's statements as checkboxes, each with its own error (GOV.UK single checkbox). */
export function Consents({ statements, agreed, errors, onChange }: { statements: ConsentStatement[]; agreed: Set<string>; errors: Set<string>; onChange: (id: string, agreed: boolean) => void }) {
  return (
    <fieldset class="govuk-fieldset govuk-!-margin-bottom-6" aria-describedby="consents-hint">
      <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">
        <h2 class="govuk-fieldset__heading">{t('check.consents')}</h2>
      </legend>
      <div class="govuk-hint" id="consents-hint">
        {t('check.consents_hint')}
      </div>
      {statements.map((statement) => {
        const id = `consent-${statement.id}`;
        const error = errors.has(statement.id) ? t('check.consent_required') : undefined;
        return (
          <div key={statement.id} class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
            <ErrorMessage id={`${id}-error`} text={error} />
            <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
              <div class="govuk-checkboxes__item">
                <input
                  class="govuk-checkboxes__input"
                  id={id}
                  name={id}
                  type="checkbox"
                  checked={agreed.has(statement.id)}
                  aria-describedby={error ? `${id}-error` : undefined}
                  onChange={(e) => onChange(statement.id, (e.currentTarget as HTMLInputElement).checked)}
                />
                <label class="govuk-label govuk-checkboxes__label" for={id}>
                  {localized(statement.text)}
                  {statement.required === false && <> {t('common.optional')}</>}
                </label>
              </div>
            </div>
          </div>
        );
      })}
    </fieldset>
  );
}
