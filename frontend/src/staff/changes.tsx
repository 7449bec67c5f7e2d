/**
 * Profile change requests, for reviewers and administrators: a person (or an officer with them)
 * asked to change a detail that was verified. The queue (oldest first, without the values), and
 * one request (opening it is recorded in the person's activity) approved or rejected with a
 * reason the person will read.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { useApi } from '../api/hooks';
import { BackLink, ErrorSummary, SummaryList, Table } from '../components/govuk';
import { LoadState, Page, useTitle } from '../components/page';
import { formatDate, has, t } from '../i18n';
import { profileFieldLabel, profileValueText } from '../pages/profile_text';
import { DecisionForm } from './decision';
import { ShowMore, usePaged } from './paging';
import { problemsOf, summaryOf, type Problem } from './problems';
import { SuccessBanner } from './success_banner';

interface ChangeRequest {
  request_id: string;
  registrant_id: string;
  field: string;
  status: string;
  requested_at?: string;
  requested_by?: { role?: string };
  decided_at?: string | null;
  reason?: string | null;
  value?: unknown;
  current?: unknown;
}

interface ProfileForm {
  labels?: Record<string, Record<string, string>>;
}

/** The profile form's label for a field, in the reader's language. */
function useFieldLabel(): (name: string) => string {
  const form = useApi<ProfileForm>('/profile-form');
  return (name) => profileFieldLabel(form.data?.labels, name);
}

function requester(role: string | undefined): string {
  return t(role === 'officer' ? 'staff.requested_by.officer' : 'staff.requested_by.registrant');
}

export function ChangeRequests() {
  const requests = usePaged<ChangeRequest>('/admin/change-requests');
  const label = useFieldLabel();
  const list = requests.items;
  return (
    <Page title={t('staff.change_requests')} wide>
      <BackLink href="/staff" />
      <h1 class="govuk-heading-l">{t('staff.change_requests')}</h1>
      <p class="govuk-body">{t('staff.change_requests_lead')}</p>
      <LoadState loading={requests.loading} error={requests.error} retry={requests.reload} />
      {requests.loaded && list.length === 0 && <p class="govuk-body">{t('staff.no_change_requests')}</p>}
      {list.length > 0 && (
        <Table headers={[t('staff.change_field'), t('staff.requested_at'), t('staff.requested_by'), <span class="govuk-visually-hidden">{t('staff.actions')}</span>]}>
          {list.map((request) => (
            <tr class="govuk-table__row" key={request.request_id}>
              <td class="govuk-table__cell">{label(request.field)}</td>
              <td class="govuk-table__cell">{formatDate(request.requested_at, true)}</td>
              <td class="govuk-table__cell">{requester(request.requested_by?.role)}</td>
              <td class="govuk-table__cell">
                <a class="govuk-link" href={`/staff/changes/${encodeURIComponent(request.request_id)}`}>
                  {t('staff.open_request')}
                  <span class="govuk-visually-hidden"> – {label(request.field)}, {formatDate(request.requested_at, true)}</span>
                </a>
              </td>
            </tr>
          ))}
        </Table>
      )}
      <ShowMore more={requests.more} />
    </Page>
  );
}

export function ChangeRequestPage({ id }: { id: string }) {
  const loaded = useApi<ChangeRequest>(`/admin/change-requests/${encodeURIComponent(id)}`, { staff: true });
  const label = useFieldLabel();
  const [decision, setDecision] = useState('');
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [decided, setDecided] = useState<ChangeRequest>();
  const request = decided ?? loaded.data;
  useTitle(request ? t('staff.change_request_title', { field: label(request.field) }) : t('staff.change_requests'), problems.length > 0);
  if (!request) return <LoadState loading={loaded.loading} error={loaded.error} retry={loaded.reload} />;
  const decide = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: Problem[] = [];
    if (!decision) found.push({ id: 'change-approve', text: t('staff.error.decision_required') });
    if (decision === 'reject' && !reason.trim()) found.push({ id: 'change-reason', text: t('staff.error.reject_reason') });
    setProblems(found);
    if (found.length) return;
    try {
      const answer = await api<ChangeRequest>('POST', `/admin/change-requests/${encodeURIComponent(id)}/${decision}`, { staff: true, body: reason.trim() ? { reason: reason.trim() } : {} });
      setDecided(answer);
    } catch (error) {
      setProblems(problemsOf(error, (pointer) => (pointer === '/reason' ? 'change-reason' : 'change-approve'), 'change-approve'));
    }
  };
  const statusKey = `profile.request.${request.status}`;
  // The current value comes as the profile's entry: the value with its source and verification.
  const entry = request.current && typeof request.current === 'object' && 'value' in request.current ? (request.current as { value: unknown; source?: string; verified?: boolean }) : undefined;
  const current = entry ? entry.value : request.current;
  const source = entry?.source;
  const verified = entry?.verified;
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <BackLink href="/staff/changes" />
        <ErrorSummary errors={summaryOf(problems)} />
        {decided && <SuccessBanner text={t(decided.status === 'approved' ? 'staff.change_approved' : 'staff.change_rejected')} />}
        <span class="govuk-caption-l">{t('staff.change_requests')}</span>
        <h1 class="govuk-heading-l">{t('staff.change_request_title', { field: label(request.field) })}</h1>
        <SummaryList
          rows={[
            { key: t('staff.current_value'), value: profileValueText(current) },
            ...(source ? [{ key: t('profile.source'), value: `${has(`profile.source.${source}`) ? t(`profile.source.${source}`) : source}${verified ? ` (${t('profile.verified')})` : ''}` }] : []),
            { key: t('staff.requested_value'), value: <strong>{profileValueText(request.value)}</strong> },
            { key: t('staff.requested_by'), value: requester(request.requested_by?.role) },
            { key: t('staff.requested_at'), value: formatDate(request.requested_at, true) },
            { key: t('staff.request_status'), value: has(statusKey) ? t(statusKey) : request.status },
            ...(request.reason ? [{ key: t('staff.reason'), value: request.reason }] : []),
          ]}
        />
        {request.status === 'pending' && (
          <DecisionForm
            prefix="change"
            choices={['approve', 'reject']}
            labelOf={(choice) => t(choice === 'approve' ? 'staff.change_approve' : 'staff.change_reject')}
            decision={decision}
            onDecision={setDecision}
            reasonId="change-reason"
            reasonHint={t('staff.change_reason_hint')}
            reasonRows={3}
            reason={reason}
            onReason={setReason}
            problems={problems}
            onSubmit={decide}
          />
        )}
        {decided && (
          <p class="govuk-body">
            <a class="govuk-link" href="/staff/changes">
              {t('staff.back_to_change_requests')}
            </a>
          </p>
        )}
      </div>
    </div>
  );
}
