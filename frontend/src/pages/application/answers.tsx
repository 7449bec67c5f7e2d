/** The answers as the person gave them, page by page, with the programme's documents. */
import type { DocumentInfo } from '../../components/documents';
import { SummaryList } from '../../components/govuk';
import { IdProvidedValue } from '../../components/id_fields';
import { getAt, membersOf, visibleFields, type Answers, type Field } from '../../forms/model';
import { formatAnswer, listOf } from '../../answers/format';
import { localized, readsLeftToRight, t } from '../../i18n';
import { memberLabel } from './group_pages';
import type { Loaded } from './loaded';

/** What an answer naming a document shows: its file name. */
type Named = Pick<DocumentInfo, 'document_id' | 'file_name'>;

/** An answer as shown everywhere (the one formatter: `answers/format.ts`). */
export function displayValue(field: Field, value: unknown, documents: Named[] = []): string {
  return formatAnswer(field, value, documents);
}

/** An answer as shown: a phone number or the like isolated left to right, as in Arabic it must be. */
function bidiSafe(text: string) {
  return readsLeftToRight(text) ? <span class="ssp-ltr">{text}</span> : text;
}

/** Each member of a repeating group as its own block: a heading naming them, then their answers
 * (check your answers, the application's page, and the reviewer's view). */
export function MemberCards({ field, members, documents, href }: { field: Field; members: Answers[]; documents: Named[]; href?: (rest: string) => string }) {
  const repeat = field.repeat!;
  if (!members.length) return <SummaryList rows={[{ key: localized(field.label), value: t('common.not_answered'), change: href ? { href: href(''), hidden: localized(field.label) } : undefined }]} />;
  return (
    <>
      {members.map((member, position) => {
        const label = memberLabel(field, member, position);
        const shown = visibleFields(repeat.model, member);
        return (
          <div class="govuk-summary-card" key={position}>
            <div class="govuk-summary-card__title-wrapper">
              <h3 class="govuk-summary-card__title">{label}</h3>
              {href && (
                <ul class="govuk-summary-card__actions">
                  <li class="govuk-summary-card__action">
                    <a class="govuk-link" href={href(`/members/${position}?return=check`)}>
                      {t('common.change')}
                      <span class="govuk-visually-hidden"> {label}</span>
                    </a>
                  </li>
                </ul>
              )}
            </div>
            <div class="govuk-summary-card__content">
              <SummaryList
                rows={repeat.model.order
                  .filter((n) => shown.has(n))
                  .map((n) => ({ key: localized(repeat.model.fields[n].label), value: bidiSafe(displayValue(repeat.model.fields[n], getAt(member, n), documents)) }))}
              />
            </div>
          </div>
        );
      })}
    </>
  );
}

export function AnswersSummary({ loaded, changeLinks }: { loaded: Loaded; changeLinks: boolean }) {
  const { model, application } = loaded;
  const visible = visibleFields(model, application.answers);
  const readOnly = new Set(application.read_only ?? []);
  return (
    <>
      {model.pages.map((page) => (
        <div key={page.id}>
          <h2 class="govuk-heading-m">{localized(page.title)}</h2>
          {page.fields
            .filter((n) => model.fields[n].repeat)
            .map((name) => (
              <MemberCards
                key={name}
                field={model.fields[name]}
                members={membersOf(application.answers, name)}
                documents={loaded.documents}
                href={changeLinks ? (rest) => `/applications/${application.application_id}/pages/${page.id}${rest}` : undefined}
              />
            ))}
          <SummaryList
            rows={page.fields
              .filter((n) => visible.has(n) && !model.fields[n].repeat)
              .map((name) => {
                const field = model.fields[name];
                const label = localized(field.label);
                return {
                  key: label,
                  value: changeLinks && readOnly.has(name) ? <IdProvidedValue>{bidiSafe(displayValue(field, getAt(application.answers, name), loaded.documents))}</IdProvidedValue> : bidiSafe(displayValue(field, getAt(application.answers, name), loaded.documents)),
                  change: changeLinks && !readOnly.has(name) ? { href: `/applications/${application.application_id}/pages/${page.id}?return=check`, hidden: label } : undefined,
                };
              })}
          />
        </div>
      ))}
      {loaded.rules.length > 0 && (
        <>
          <h2 class="govuk-heading-m">{t('timeline.documents')}</h2>
          <SummaryList
            rows={loaded.rules.map((rule) => {
              const label = localized(rule.label);
              const mine = loaded.documents.filter((d) => d.kind === rule.kind && d.status === 'available');
              return {
                key: label,
                value: mine.length ? listOf(mine.map((d) => d.file_name)) : t('common.not_answered'),
                change: changeLinks ? { href: `/applications/${application.application_id}/documents?return=check`, hidden: label } : undefined,
              };
            })}
          />
        </>
      )}
    </>
  );
}
