/**
 * "Everything you have sent us": each application's answers written by the one formatter (as on
 * check your answers), the documents sent with it by file name, and the person's requests to
 * change their details with their status.
 */
import { itemsOf } from '../api/client';
import { useApi } from '../api/hooks';
import { BackLink, StatusTag, SummaryList } from '../components/govuk';
import { LoadState, Page } from '../components/page';
import { formatBytes, formatDate, has, locale, readsLeftToRight, t } from '../i18n';
import { formatAnswer } from './format';

export interface SubmittedAnswer {
  pointer: string;
  label?: string;
  /** the question's kind (`date`, `document`, `checkboxes`...) */
  kind?: string;
  value: unknown;
  /** the value with choices as their labels in the asked language */
  shown_as?: unknown;
  file_name?: string;
}

export interface Submission {
  application_id: string;
  reference?: string | null;
  program: { name?: string | null };
  status: string;
  submitted_at?: string | null;
  answers: SubmittedAnswer[];
  members?: { group: string; index: number; label?: string | null; item_label?: string | null }[];
  documents?: { document_id: string; kind?: string; file_name?: string | null; size?: number | null; status?: string }[];
}

interface ChangeRequest {
  request_id: string;
  field: string;
  value?: unknown;
  status: string;
  requested_at?: string;
}

/** An answer as the one formatter writes it (the server sends its kind and its choices' labels). */
export function submittedText(answer: SubmittedAnswer): string {
  const documents = answer.kind === 'document' && answer.file_name ? [{ document_id: String(answer.value), file_name: answer.file_name }] : [];
  return formatAnswer({ kind: answer.kind ?? 'text' }, answer.kind === 'document' ? answer.value : (answer.shown_as ?? answer.value), documents);
}

function shown(text: string) {
  return readsLeftToRight(text) ? <span class="ssp-ltr">{text}</span> : text;
}

/** `/children/2` for an answer of a group's member (`/children/2/name`), else undefined. */
function memberOf(pointer: string): string | undefined {
  return /^(\/[^/]+\/\d+)\//.exec(pointer)?.[1];
}

function fieldName(name: string): string {
  return has(`profile.field.${name}`) ? t(`profile.field.${name}`) : name;
}

export function SubmissionsPage() {
  const submissions = useApi<unknown>('/me/submissions', { query: { locale: locale() } });
  const requests = useApi<unknown>('/me/change-requests');
  const list = itemsOf<Submission>(submissions.data, 'submissions');
  const changes = itemsOf<ChangeRequest>(requests.data, 'change_requests');
  const rows = (answers: SubmittedAnswer[]) => answers.map((a) => ({ key: a.label ?? a.pointer, value: shown(submittedText(a)) }));
  return (
    <Page title={t('submissions.title')}>
      <BackLink href="/me" />
      <h1 class="govuk-heading-l">{t('submissions.title')}</h1>
      <LoadState loading={submissions.loading} error={submissions.error} retry={submissions.reload} />
      {submissions.data !== undefined && list.length === 0 && changes.length === 0 && <p class="govuk-body">{t('submissions.none')}</p>}
      {list.map((s) => (
        <div key={s.application_id} class="govuk-!-margin-bottom-8">
          <h2 class="govuk-heading-m">
            {s.program?.name ?? ''} <span class="govuk-caption-m">{s.reference && <bdi dir="ltr">{s.reference}</bdi>}</span>
          </h2>
          <p class="govuk-body">
            <StatusTag status={s.status} /> {s.submitted_at ? `${t('confirm.sent_on_label')} ${formatDate(s.submitted_at)}` : ''}
          </p>
          <SummaryList rows={rows(s.answers.filter((a) => !memberOf(a.pointer)))} />
          {(s.members ?? []).map((m) => (
            <div key={`${m.group}/${m.index}`}>
              <h3 class="govuk-heading-s">{m.label ?? `${m.item_label ?? m.group} ${m.index + 1}`}</h3>
              <SummaryList rows={rows(s.answers.filter((a) => memberOf(a.pointer) === `/${m.group}/${m.index}`))} />
            </div>
          ))}
          {(s.documents ?? []).length > 0 && (
            <>
              <h3 class="govuk-heading-s">{t('timeline.documents')}</h3>
              <ul class="govuk-list govuk-list--bullet">
                {(s.documents ?? []).map((d) => (
                  <li key={d.document_id}>
                    <bdi>{d.file_name}</bdi>
                    {typeof d.size === 'number' && (
                      <span class="govuk-hint govuk-!-display-inline">
                        {' '}(<bdi>{formatBytes(d.size)}</bdi>)
                      </span>
                    )}
                    {d.status === 'replaced' && (
                      <>
                        {' '}
                        <strong class="govuk-tag govuk-tag--grey">{t('documents.replaced_tag')}</strong>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      ))}
      {changes.length > 0 && (
        <>
          <h2 class="govuk-heading-m">{t('submissions.change_requests')}</h2>
          <SummaryList
            rows={changes.map((c) => ({
              key: fieldName(c.field),
              value: (
                <>
                  {shown(formatAnswer({ kind: /^\d{4}-\d{2}-\d{2}$/.test(String(c.value)) ? 'date' : 'text' }, c.value))}{' '}
                  <span class="govuk-hint govuk-!-display-block">{t('submissions.change_request_status', { status: has(`submissions.request.${c.status}`) ? t(`submissions.request.${c.status}`) : c.status, date: formatDate(c.requested_at) })}</span>
                </>
              ),
            }))}
          />
        </>
      )}
    </Page>
  );
}
