/**
 * Reviewers: a queue per programme (open or closed) and status, an application found by the
 * reference the person reads out, and the application with its answers, documents and timeline,
 * decided with a reason the person will read.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api, itemsOf } from '../api/client';
import { useApi } from '../api/hooks';
import { BackLink, ErrorSummary, StatusTag, SummaryList, Table } from '../components/govuk';
import { errorMessage, LoadState, Page, useTitle } from '../components/page';
import { buildModel, getAt, membersOf, visibleFields } from '../forms/model';
import { formatDate, localized, t } from '../i18n';
import { navigate } from '../router';
import { MemberCards, Timeline, displayValue, type Application } from '../pages/application';
import { DecisionForm } from './decision';
import { TextField } from './fields';
import { ShowMore, usePaged } from './paging';
import { problemsOf, problemsOn, summaryOf, type Problem } from './problems';
import { stateName, StateTabs } from './states';
import { SuccessBanner } from './success_banner';
import { usePrograms } from './programs';

interface ReviewSummary {
  application_id: string;
  status: string;
  reference?: string;
  submitted_at?: string;
  channel?: string;
  /** members listed per repeating group (`{children: 3}`), no answers */
  member_count?: Record<string, number>;
}

/** How many members an application lists across its repeating groups. */
function membersListed(item: ReviewSummary): number {
  return Object.values(item.member_count ?? {}).reduce((sum, n) => sum + n, 0);
}

const REVIEW_STATUSES = ['submitted', 'under_review', 'info_requested', 'approved', 'rejected', 'enrolled', 'withdrawn'];

export function ReviewQueue({ query }: { query: URLSearchParams }) {
  // Closed programmes still have applications to decide on.
  const programs = usePrograms(['open', 'closed']);
  const list = programs.list;
  const program = query.get('program') ?? list[0]?.program_id;
  const status = REVIEW_STATUSES.includes(query.get('status') ?? '') ? (query.get('status') as string) : 'submitted';
  const queue = usePaged<ReviewSummary>(program ? `/admin/programs/${encodeURIComponent(program)}/applications` : null, { status });
  const items = queue.items;
  const [reference, setReference] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const find = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const wanted = reference.trim();
    if (!wanted) return setProblems([{ id: 'reference', text: t('staff.error.reference_required') }]);
    try {
      const found = await api<ReviewSummary>('GET', `/admin/references/${encodeURIComponent(wanted)}`, { staff: true });
      navigate(`/staff/review/${encodeURIComponent(found.application_id)}`);
    } catch (error) {
      setProblems(problemsOn(error, 'reference'));
    }
  };
  const current = list.find((p) => p.program_id === program);
  return (
    <Page title={t('staff.queue')} errors={problems.length > 0} wide>
      <BackLink href="/staff" />
      <ErrorSummary errors={summaryOf(problems)} />
      <h1 class="govuk-heading-l">{t('staff.queue')}</h1>
      <form onSubmit={find} noValidate action="#" role="search" aria-labelledby="find-title">
        <h2 class="govuk-heading-m" id="find-title">
          {t('staff.find_by_reference')}
        </h2>
        <TextField id="reference" label={t('applications.reference')} hint={t('staff.reference_hint')} width="20" ltr value={reference} onInput={setReference} problems={problems} />
        <button type="submit" class="govuk-button govuk-button--secondary">
          {t('staff.find')}
        </button>
      </form>
      <h2 class="govuk-heading-m">{t('staff.queue_by_program')}</h2>
      <LoadState loading={programs.loading} error={programs.error} />
      {!programs.loading && list.length === 0 && <p class="govuk-body">{t('staff.no_programs_to_review')}</p>}
      <nav aria-label={t('staff.programs')}>
        <ul class="govuk-list ssp-inline-list">
          {list.map((p) => {
            const text = `${localized(p.name) || p.program_id}${p.state !== 'open' ? ` (${stateName(p.state)})` : ''}`;
            return (
              <li key={p.program_id}>
                {p.program_id === program ? (
                  <strong aria-current="page">{text}</strong>
                ) : (
                  <a class="govuk-link" href={`/staff/review?program=${encodeURIComponent(p.program_id)}&status=${status}`}>
                    {text}
                  </a>
                )}
              </li>
            );
          })}
        </ul>
      </nav>
      {program && <StateTabs base={`/staff/review?program=${encodeURIComponent(program)}`} current={status} states={REVIEW_STATUSES} />}
      <LoadState loading={queue.loading} error={queue.error} />
      {queue.loaded && items.length === 0 && <p class="govuk-body">{t('staff.no_applications')}</p>}
      {items.length > 0 && (
        <Table
          caption={current ? localized(current.name) : program}
          captionSize="s"
          headers={[t('applications.reference'), t('applications.status'), t('staff.submitted_at'), ...(items.some((i) => i.member_count && Object.keys(i.member_count).length) ? [t('staff.members')] : [])]}
        >
          {items.map((item) => (
            <tr class="govuk-table__row" key={item.application_id}>
              <td class="govuk-table__cell">
                <a class="govuk-link ssp-ltr" href={`/staff/review/${encodeURIComponent(item.application_id)}`}>
                  {item.reference ?? item.application_id}
                </a>
              </td>
              <td class="govuk-table__cell">
                <StatusTag status={item.status} />
              </td>
              <td class="govuk-table__cell">{formatDate(item.submitted_at, true)}</td>
              {items.some((i) => i.member_count && Object.keys(i.member_count).length) && <td class="govuk-table__cell govuk-table__cell--numeric">{membersListed(item)}</td>}
            </tr>
          ))}
        </Table>
      )}
      <ShowMore more={queue.more} />
    </Page>
  );
}

const NEXT: Record<string, string[]> = {
  submitted: ['under_review'],
  under_review: ['approved', 'rejected', 'info_requested'],
  approved: ['enrolled'],
};
const DECISION_LABELS: Record<string, string> = {
  under_review: 'staff.start_review',
  approved: 'staff.approve',
  rejected: 'staff.reject',
  info_requested: 'staff.request_info',
  enrolled: 'staff.enrol',
};

interface StaffDocument {
  document_id: string;
  kind: string;
  file_name: string;
  status: string;
  /** the member of a repeating group it was given for */
  member?: { label?: string | null } | null;
}

export function ReviewApplication({ id }: { id: string }) {
  const loaded = useApi<Application & { registrant_id: string; version?: number }>(`/admin/applications/${encodeURIComponent(id)}`, { staff: true });
  const documents = useApi<unknown>('/admin/documents', { staff: true, query: { application_id: id } });
  const application = loaded.data;
  const form = useApi<{ schema: Record<string, unknown>; ui_schema: Record<string, unknown> }>(application ? `/forms/${encodeURIComponent(application.form_id)}/versions/${application.form_version}` : null);
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [done, setDone] = useState(false);
  useTitle(application?.reference ?? t('staff.queue'), problems.length > 0);
  if (!application) return <LoadState loading={loaded.loading} error={loaded.error} retry={loaded.reload} />;
  const model = form.data ? buildModel(form.data.schema, form.data.ui_schema) : undefined;
  const choices = NEXT[application.status] ?? [];
  const decide = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: Problem[] = [];
    if (!to) found.push({ id: `decision-${choices[0]}`, text: t('staff.error.decision_required') });
    if (to && to !== 'under_review' && to !== 'enrolled' && !reason.trim()) found.push({ id: 'reason', text: t('staff.error.reason_required') });
    setProblems(found);
    if (found.length) return;
    try {
      await api('POST', `/admin/applications/${encodeURIComponent(id)}/decision`, { staff: true, body: { to, ...(reason.trim() ? { reason } : {}), version: application.version } });
      setDone(true);
      setTo('');
      setReason('');
      loaded.reload();
    } catch (error) {
      setProblems(problemsOf(error, (pointer) => (pointer === '/reason' ? 'reason' : `decision-${choices[0]}`), `decision-${choices[0]}`));
    }
  };
  const visible = model ? visibleFields(model, application.answers) : new Set<string>();
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <BackLink href={`/staff/review?program=${encodeURIComponent(application.program_id)}&status=${application.status}`} />
        <ErrorSummary errors={summaryOf(problems)} />
        {done && <SuccessBanner text={t('staff.decided')} />}
        <span class="govuk-caption-l">{localized(application.program_name)}</span>
        <h1 class="govuk-heading-l">
          <bdi dir="ltr">{application.reference}</bdi>
        </h1>
        <p class="govuk-body">
          <StatusTag status={application.status} />
        </p>
        <h2 class="govuk-heading-m">{t('staff.answers')}</h2>
        {model && (
          <SummaryList
            rows={model.order.filter((n) => visible.has(n) && !model.fields[n].repeat).map((name) => ({ key: localized(model.fields[name].label), value: displayValue(model.fields[name], getAt(application.answers, name), itemsOf<StaffDocument>(documents.data)) }))}
          />
        )}
        {model && model.order.filter((n) => model.fields[n].repeat).map((n) => <MemberCards key={n} field={model.fields[n]} members={membersOf(application.answers, n)} documents={itemsOf<StaffDocument>(documents.data)} />)}
        <h2 class="govuk-heading-m">{t('staff.documents_sent')}</h2>
        {documents.data !== undefined && itemsOf(documents.data).length === 0 && <p class="govuk-body">{t('common.none')}</p>}
        <ul class="govuk-list">
          {itemsOf<StaffDocument>(documents.data).map((d) => (
            <li key={d.document_id}>
              <StaffDownload document={d} />
            </li>
          ))}
        </ul>
        {choices.length > 0 && (
          <DecisionForm
            prefix="decision"
            choices={choices}
            labelOf={(choice) => t(DECISION_LABELS[choice])}
            decision={to}
            onDecision={setTo}
            reasonId="reason"
            reasonHint={t('staff.reason_hint')}
            reasonRows={4}
            reason={reason}
            onReason={setReason}
            problems={problems}
            onSubmit={decide}
          />
        )}
        <h2 class="govuk-heading-m">{t('timeline.title')}</h2>
        <Timeline entries={application.timeline ?? []} staff />
      </div>
    </div>
  );
}

function StaffDownload({ document }: { document: StaffDocument }) {
  const [problem, setProblem] = useState<string>();
  const open = async () => {
    try {
      const answer = await api<{ download?: { url?: string } | string }>('GET', `/admin/documents/${encodeURIComponent(document.document_id)}`, { staff: true });
      const url = typeof answer.download === 'string' ? answer.download : answer.download?.url;
      if (url) location.assign(url);
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  return (
    <>
      <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-1" onClick={open}>
        {t('common.download')} <span class="ssp-ltr">{document.file_name}</span>
      </button>{' '}
      {document.member?.label && <span class="govuk-body-s">{t('group.document_for', { name: document.member.label })} </span>}
      <strong class={`govuk-tag ${document.status === 'available' ? 'govuk-tag--green' : document.status === 'replaced' ? 'govuk-tag--grey' : 'govuk-tag--yellow'}`}>
        {document.status === 'available' ? t('documents.verified') : document.status === 'replaced' ? t('documents.replaced_tag') : t('documents.checking')}
      </strong>
      {problem && <p class="govuk-error-message">{problem}</p>}
    </>
  );
}
