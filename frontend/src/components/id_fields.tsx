/**
 * Details the national ID provider gave: shown as text marked "From your national ID" with how to
 * correct a wrong ID record, never as a box that looks editable. Used on a question page (by the
 * form renderer, for an answer prefilled from the verified profile) and on check your answers
 * (in place of the Change link).
 */
import type { ComponentChildren } from 'preact';
import { t } from '../i18n';

/** The mark and the note: what a person reads beside a detail from their national ID. */
export function FromNationalId({ id }: { id?: string }) {
  return (
    <div class="govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0 ssp-from-id" id={id}>
      <strong class="govuk-tag govuk-tag--blue">{t('id_fields.from_national_id')}</strong> <span class="govuk-hint govuk-!-margin-bottom-0 ssp-id-note">{t('id_fields.how_to_correct')}</span>
    </div>
  );
}

/** A value from the national ID in a summary list (check your answers): the value, then the note. */
export function IdProvidedValue({ children }: { children: ComponentChildren }) {
  return (
    <>
      <span>{children}</span>
      <FromNationalId />
    </>
  );
}

/** A question answered by the national ID, on a question page: its label, the answer as text, the note. */
export function IdProvidedQuestion({ id, label, value }: { id: string; label?: ComponentChildren; value: ComponentChildren }) {
  return (
    <div class="govuk-form-group ssp-id-provided" id={id}>
      {label && <p class="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">{label}</p>}
      <p class="govuk-body govuk-!-margin-bottom-0">{value}</p>
      <FromNationalId />
    </div>
  );
}
