/**
 * My details (each with its source and a verified badge; edit, or ask for a change where the
 * national ID verified it), everything I submitted, who looked at my data, what I agreed to
 * share, and the export of all of it.
 */
import { useState } from 'preact/hooks';
import { api, itemsOf } from '../api/client';
import { useApi } from '../api/hooks';
import { BackLink, SummaryList } from '../components/govuk';
import { errorMessage, LoadState, NotFound, Page } from '../components/page';
import { Withdraw } from '../components/withdraw';
import { formatDate, has, localized, locale, readsLeftToRight, t } from '../i18n';
import { SubmissionsPage } from '../answers/submissions';
import { ActivityPage } from './activity_page';
import { SuccessBanner } from '../staff/success_banner';
import { EditDetails, takeSavedNotice } from './profile_edit';
import { profileFieldLabel, profileValueText, readsLeftToRightField } from './profile_text';

interface ProfileField {
  value: unknown;
  source?: string | null;
  verified?: boolean;
  changed_at?: string | null;
  in_form?: boolean;
  pending_change?: unknown;
}

interface Profile {
  version: number;
  individual_id?: string | null;
  order: string[];
  fields: Record<string, ProfileField>;
  profile_form: { schema: Record<string, any>; labels: Record<string, Record<string, string>> };
  /** the members of the household the portal remembers, each with where it came from */
  household?: HouseholdMember[];
}

interface HouseholdMember {
  member_id: string;
  fields: Record<string, unknown>;
  source: string;
}

/** The household the portal remembers: offered to the next program that asks; each can be forgotten. */
function Household({ members, onChanged }: { members: HouseholdMember[]; onChanged: () => void }) {
  const [problem, setProblem] = useState<string>();
  const forget = async (member: HouseholdMember) => {
    try {
      await api('DELETE', `/me/household/${encodeURIComponent(member.member_id)}`);
      onChanged();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  return (
    <>
      <h2 class="govuk-heading-m">{t('profile.household')}</h2>
      <p class="govuk-body">{t('profile.household_lead')}</p>
      {problem && <p class="govuk-error-message">{problem}</p>}
      <SummaryList
        rows={members.map((member) => ({
          key: String(member.fields.name ?? ''),
          value: (
            <>
              {typeof member.fields.birth_date === 'string' && <span>{formatDate(`${member.fields.birth_date}T00:00:00`)}</span>}
              <p class="govuk-body-s govuk-!-margin-bottom-2">{t('profile.source_is', { source: sourceText(member.source) })}</p>
              <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" onClick={() => forget(member)}>
                {t('profile.household_forget')}
                <span class="govuk-visually-hidden"> {String(member.fields.name ?? '')}</span>
              </button>
            </>
          ),
        }))}
      />
    </>
  );
}

export function ProfileRoutes({ path }: { path: string }) {
  if (path === '/me') return <MyDetails />;
  if (path === '/me/edit') return <EditDetails />;
  if (path === '/me/submissions') return <SubmissionsPage />;
  if (path === '/me/activity') return <ActivityPage />;
  if (path === '/me/consents') return <Consents />;
  return <NotFound />;
}

/** A field's label in the reader's language (the profile form's own, else the catalog's). */
function fieldLabel(profile: Profile, name: string): string {
  return profileFieldLabel(profile.profile_form.labels, name);
}

function sourceText(source: string | null | undefined): string {
  if (!source) return '';
  const key = `profile.source.${source === 'self' ? 'registrant' : source}`;
  return has(key) ? t(key) : source;
}

/** A value as the person reads it; a phone number, an email or an ID number left to right even in
 * Arabic ("+212600334455", never "212600334455+"), an address isolated in its own direction. */
function DetailValue({ name, value }: { name: string; value: unknown }) {
  const text = profileValueText(value, name);
  if (value === undefined || value === null || value === '') return <span>{text}</span>;
  // An address a part a line (as GOV.UK shows one), each part in its own direction: joined by
  // commas, a Latin street and an Arabic country name reordered each other's commas.
  const parts = value && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && v !== null && v !== '') : [];
  if (parts.length)
    return (
      <span class="ssp-lines">
        {parts.map(([part, v]) => (
          <span key={part}>
            <DetailValue name={`${name}/${part}`} value={v} />
          </span>
        ))}
      </span>
    );
  if (readsLeftToRightField(name) || (typeof value === 'string' && readsLeftToRight(value))) return <bdi dir="ltr">{text}</bdi>;
  return <bdi>{text}</bdi>;
}

function MyDetails() {
  const profile = useApi<Profile>('/me');
  const data = profile.data;
  const [notice] = useState(takeSavedNotice);
  return (
    <Page title={t('profile.title')}>
      {notice && <SuccessBanner text={notice} />}
      <h1 class="govuk-heading-l">{t('profile.title')}</h1>
      <p class="govuk-body">{t('profile.lead')}</p>
      <LoadState loading={profile.loading} error={profile.error} retry={profile.reload} />
      {data && (
        <>
          <SummaryList
            rows={[
              ...(data.individual_id ? [{ key: t('profile.field.individual_id'), value: <bdi dir="ltr">{data.individual_id}</bdi> }] : []),
              ...data.order.map((name) => {
                const field = data.fields[name];
                return {
                  key: fieldLabel(data, name),
                  value: (
                    <>
                      <DetailValue name={name} value={field.value} />
                      {field.value !== null && field.value !== undefined && (
                        <div class="govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0">
                          {field.verified ? <strong class="govuk-tag govuk-tag--green">{t('profile.verified')}</strong> : <strong class="govuk-tag govuk-tag--grey">{t('profile.unverified')}</strong>}{' '}
                          {field.source && <span>{t('profile.source_is', { source: sourceText(field.source) })}</span>}
                        </div>
                      )}
                      {Boolean(field.pending_change) && <div class="govuk-body-s govuk-!-margin-bottom-0">{t('profile.change_requested')}</div>}
                    </>
                  ),
                };
              }),
            ]}
          />
          <a class="govuk-button govuk-button--secondary" href="/me/edit">
            {t('profile.edit')}
          </a>
          {data.household && data.household.length > 0 && <Household members={data.household} onChanged={profile.reload} />}
          <ChangeRequests profile={data} />
          <h2 class="govuk-heading-m">{t('profile.your_data')}</h2>
          <ul class="govuk-list govuk-list--spaced">
            <li>
              <a class="govuk-link" href="/me/submissions">
                {t('profile.submissions')}
              </a>
            </li>
            <li>
              <a class="govuk-link" href="/me/activity">
                {t('profile.activity')}
              </a>
            </li>
            <li>
              <a class="govuk-link" href="/me/consents">
                {t('profile.consents')}
              </a>
            </li>
            <li>
              <a class="govuk-link" href={`/api/me/export?format=html&locale=${locale()}`} download>
                {t('profile.export')}
              </a>
              <div class="govuk-hint govuk-!-margin-bottom-1">{t('profile.export_hint')}</div>
              <a class="govuk-link govuk-body-s" href={`/api/me/export?locale=${locale()}`} download>
                {t('profile.export_json')}
              </a>
            </li>
          </ul>
        </>
      )}
    </Page>
  );
}

interface ChangeRequest {
  request_id: string;
  field: string;
  status: string;
  value?: unknown;
  requested_at?: string;
  reason?: string | null;
}

/** Changes to verified details wait for the programme team; the person can withdraw them. */
function ChangeRequests({ profile }: { profile: Profile }) {
  const requests = useApi<unknown>('/me/change-requests');
  const list = itemsOf<ChangeRequest>(requests.data);
  const [problem, setProblem] = useState<string>();
  if (!list.length) return null;
  const withdraw = async (id: string) => {
    try {
      await api('POST', `/me/change-requests/${encodeURIComponent(id)}/withdraw`);
      requests.reload();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  return (
    <>
      <h2 class="govuk-heading-m">{t('profile.requests')}</h2>
      {problem && <p class="govuk-error-message">{problem}</p>}
      <SummaryList
        rows={list.map((request) => ({
          key: fieldLabel(profile, request.field),
          value: (
            <>
              <DetailValue name={request.field} value={request.value} />
              <div class="govuk-body-s govuk-!-margin-bottom-0">
                <strong class={`govuk-tag ${request.status === 'approved' ? 'govuk-tag--green' : request.status === 'rejected' ? 'govuk-tag--red' : 'govuk-tag--yellow'}`}>
                  {has(`profile.request.${request.status}`) ? t(`profile.request.${request.status}`) : request.status}
                </strong>{' '}
                {formatDate(request.requested_at)}
                {request.reason && <div>{request.reason}</div>}
              </div>
              {request.status === 'pending' && (
                <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-top-2 govuk-!-margin-bottom-0" onClick={() => withdraw(request.request_id)}>
                  {t('profile.request_withdraw')}
                  <span class="govuk-visually-hidden"> – {fieldLabel(profile, request.field)}</span>
                </button>
              )}
            </>
          ),
        }))}
      />
    </>
  );
}

interface Consent {
  consent_id: string;
  kind: string;
  provider?: string;
  /** the provider's display name per language ("National ID"), not its id */
  provider_name?: unknown;
  purpose?: string;
  claims?: string[];
  given_at?: string;
  last_given_at?: string;
  status?: string;
  statement?: Record<string, string>;
  /** an application's statement: which application it was agreed to with */
  reference?: { application_id?: string; program_id?: string; reference?: string };
}

function WithdrawConsent({ consent, onDone }: { consent: Consent; onDone: () => void }) {
  return <Withdraw label={t('consents.withdraw')} warning={t('consents.withdraw_warning')} withdraw={() => api('POST', `/me/consents/${encodeURIComponent(consent.consent_id)}/withdraw`)} onDone={onDone} />;
}

function Consents() {
  const consents = useApi<unknown>('/me/consents');
  const list = itemsOf<Consent>(consents.data, 'consents');
  return (
    <Page title={t('consents.title')}>
      <BackLink href="/me" />
      <h1 class="govuk-heading-l">{t('consents.title')}</h1>
      <LoadState loading={consents.loading} error={consents.error} retry={consents.reload} />
      {consents.data !== undefined && list.length === 0 && <p class="govuk-body">{t('consents.none')}</p>}
      {list.map((c) => (
        <div key={c.consent_id} class="govuk-!-margin-bottom-6">
          {c.kind === 'application' ? (
            <>
              <h2 class="govuk-heading-s">
                {t('consents.for_application', { reference: c.reference?.reference ?? '' })}
              </h2>
              <p class="govuk-body">{localized(c.statement) || c.purpose}</p>
            </>
          ) : (
            <h2 class="govuk-heading-s">{localized(c.provider_name) || c.provider || localized(c.statement) || c.purpose || c.kind}</h2>
          )}
          {c.claims && c.claims.length > 0 && (
            <ul class="govuk-list govuk-list--bullet">
              {c.claims.map((claim) => (
                <li key={claim}>{has(`profile.field.${claim}`) ? t(`profile.field.${claim}`) : claim}</li>
              ))}
            </ul>
          )}
          <p class="govuk-body-s">{t('consents.given', { date: formatDate(c.last_given_at ?? c.given_at) })}</p>
          {c.kind === 'id_provider' && c.status !== 'withdrawn' && <WithdrawConsent consent={c} onDone={consents.reload} />}
          {c.status === 'withdrawn' && <strong class="govuk-tag govuk-tag--grey">{t('consents.withdrawn')}</strong>}
        </div>
      ))}
    </Page>
  );
}
