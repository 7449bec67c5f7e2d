/** The registrant's pages that need no form machinery: home, login, programmes, lists. */
import { useState } from 'preact/hooks';
import { api, ApiError, itemsOf } from '../api/client';
import { useApi } from '../api/hooks';
import { ErrorSummary, StartLink, StatusTag, SummaryCard, SummaryList } from '../components/govuk';
import { errorMessage, LoadState, Page, useTitle } from '../components/page';
import { formatDate, localized, locale, t } from '../i18n';
import { navigate } from '../router';
import { loginHref, useSession } from '../session';

export interface Program {
  program_id: string;
  name: unknown;
  description?: unknown;
  summary?: unknown;
  state?: string;
  opens_at?: string;
  closes_at?: string;
  eligibility?: unknown;
  /** the amount or benefit, per language (when the programme says) */
  benefit?: unknown;
  /** how many days a decision usually takes (when the programme says) */
  decision_days?: number | null;
  accepting?: boolean;
  /** for a logged-in person: whether they can apply now, and why not */
  you?: { can_apply: boolean; reason?: string | null; draft_application_id?: string | null; blocking_application_id?: string | null; next_possible_at?: string | null };
  documents?: { kind: string; label: unknown; required?: boolean }[];
}

export interface ApplicationSummary {
  application_id: string;
  program_id: string;
  program_name?: unknown;
  status: string;
  reference?: string;
  updated_at?: string;
  submitted_at?: string;
  created_at?: string;
}

/** Set by logging out (the service navigation): the next home page says it was done. */
let justLoggedOut = false;
export function noteLoggedOut(): void {
  justLoggedOut = true;
}

function LoggedOutBanner() {
  const [shown] = useState(() => {
    const was = justLoggedOut || new URLSearchParams(window.location.search).has('logged_out');
    justLoggedOut = false;
    return was;
  });
  if (!shown) return null;
  return (
    <div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="logged-out-title">
      <div class="govuk-notification-banner__header">
        <h2 class="govuk-notification-banner__title" id="logged-out-title">
          {t('home.logged_out_title')}
        </h2>
      </div>
      <div class="govuk-notification-banner__content">
        <p class="govuk-notification-banner__heading">{t('home.logged_out')}</p>
        <p class="govuk-body">{t('home.logged_out_shared')}</p>
      </div>
    </div>
  );
}

export function Home() {
  const session = useSession();
  useTitle(t('home.title'));
  if (session?.authenticated) {
    return (
      <Page title={t('home.title')}>
        <h1 class="govuk-heading-xl">{session.name ? t('home.welcome', { name: session.name }) : t('home.title')}</h1>
        <p class="govuk-body-l">{t('home.logged_in_lead')}</p>
        <ul class="govuk-list govuk-list--spaced">
          <li>
            <a class="govuk-link" href="/programs">{t('nav.programs')}</a>
          </li>
          <li>
            <a class="govuk-link" href="/applications">{t('nav.applications')}</a>
          </li>
          <li>
            <a class="govuk-link" href="/enrolments">{t('nav.enrolments')}</a>
          </li>
          <li>
            <a class="govuk-link" href="/me">{t('nav.profile')}</a>
          </li>
        </ul>
      </Page>
    );
  }
  return (
    <Page title={t('home.title')}>
      <LoggedOutBanner />
      <h1 class="govuk-heading-xl">{t('home.title')}</h1>
      <p class="govuk-body-l">{t('home.lead')}</p>
      <p class="govuk-body">{t('home.you_need')}</p>
      <p class="govuk-body">{t('home.time')}</p>
      <StartLink href="/login?next=/programs">{t('home.start')}</StartLink>
    </Page>
  );
}

interface Provider {
  id: string;
  name?: unknown;
  methods?: { id: string; name?: unknown }[];
}

/** A login method in the reader's language when we know its kind, else the provider's name for it. */
function methodsOf(provider: Provider): { id: string; label: string }[] {
  return (provider.methods ?? []).map((method) => {
    const id = method.id.toLowerCase();
    const known = /otp|code/.test(id) ? 'otp' : /bio|finger|face|iris/.test(id) ? 'biometrics' : /wallet/.test(id) ? 'wallet' : /password|pin/.test(id) ? 'password' : undefined;
    return { id: method.id, label: known ? t(`login.method.${known}`) : localized(method.name) || method.id };
  });
}

export function Login({ next, expired }: { next: string; expired: boolean }) {
  const providers = useApi<unknown>('/auth/providers');
  const list = itemsOf<Provider>(providers.data, 'providers');
  const safeNext = next.startsWith('/') && !next.startsWith('//') ? next : '/programs';
  return (
    <Page title={t('login.title')}>
      {expired && (
        <div class="govuk-inset-text" role="status">
          {t('login.expired')}
        </div>
      )}
      <h1 class="govuk-heading-l">{t('login.title')}</h1>
      <p class="govuk-body">{t('login.lead')}</p>
      <LoadState loading={providers.loading} error={providers.error} retry={providers.reload} />
      {providers.data !== undefined && list.length === 0 && <p class="govuk-body">{t('login.no_providers')}</p>}
      {list.map((provider) => {
        const id = provider.id;
        const name = localized(provider.name) || id;
        const methods = methodsOf(provider);
        return (
          <div key={id} class="govuk-!-margin-bottom-6">
            <h2 class="govuk-heading-m">{t('login.with', { provider: name })}</h2>
            {methods.length ? (
              <ul class="govuk-list govuk-list--spaced">
                {methods.map((method) => (
                  <li key={method.id}>
                    <a class="govuk-button govuk-!-margin-bottom-0" href={loginHref(id, safeNext, locale(), method.id)}>
                      {method.label}
                    </a>
                  </li>
                ))}
              </ul>
            ) : (
              <a class="govuk-button" href={loginHref(id, safeNext, locale())}>
                {t('login.with', { provider: name })}
              </a>
            )}
          </div>
        );
      })}
      <p class="govuk-body">
        <a class="govuk-link" href="/staff">
          {t('login.staff')}
        </a>
      </p>
    </Page>
  );
}

function reasonText(reason: string | null | undefined, nextPossible?: string | null): string {
  if (reason === 'cooldown' && nextPossible) return t('programs.reason.cooldown_until', { date: formatDate(nextPossible) });
  if (!reason) return t('programs.cannot_apply');
  const key = `programs.reason.${reason}`;
  const text = t(key);
  return text === key ? t('programs.cannot_apply') : text;
}

/** Whether the person can apply now, or the tag saying not and why. */
function Standing({ you }: { you: NonNullable<Program['you']> }) {
  if (you.can_apply) return <strong class="govuk-tag govuk-tag--green">{t('programs.can_apply')}</strong>;
  return (
    <>
      <strong class="govuk-tag govuk-tag--grey">{t('programs.cannot_apply')}</strong> <span>{reasonText(you.reason, you.next_possible_at)}</span>
    </>
  );
}

export function Programs() {
  const session = useSession();
  const programs = useApi<unknown>('/programs');
  const list = itemsOf<Program>(programs.data, 'programs');
  return (
    <Page title={t('programs.title')}>
      <h1 class="govuk-heading-l">{t('programs.title')}</h1>
      <LoadState loading={programs.loading} error={programs.error} retry={programs.reload} />
      {programs.data !== undefined && (
        <p class="govuk-body" role="status">
          {t('programs.count', { count: list.length })}
        </p>
      )}
      {list.length > 0 && (
        <ul class="govuk-list">
          {list.map((program) => {
            const draft = program.you?.draft_application_id;
            return (
              <SummaryCard key={program.program_id} title={localized(program.name)} href={`/programs/${encodeURIComponent(program.program_id)}`}>
                {Boolean(program.summary ?? program.description) && <p class="govuk-body">{localized(program.summary ?? program.description)}</p>}
                <p class="govuk-body ssp-standing">
                  {!session?.authenticated ? <span class="govuk-hint">{t('programs.log_in_to_apply')}</span> : <Standing you={program.you ?? { can_apply: false }} />}
                  {draft && (
                    <>
                      {' '}
                      <a class="govuk-link" href={`/applications/${encodeURIComponent(draft)}`}>
                        {t('program.continue_application')}
                        <span class="govuk-visually-hidden"> – {localized(program.name)}</span>
                      </a>
                    </>
                  )}
                </p>
                {program.closes_at && <p class="govuk-body-s">{t('programs.closes', { date: formatDate(program.closes_at) })}</p>}
              </SummaryCard>
            );
          })}
        </ul>
      )}
    </Page>
  );
}

export function ProgramDetail({ id }: { id: string }) {
  const session = useSession();
  const program = useApi<Program>(`/programs/${encodeURIComponent(id)}`);
  const mine = useApi<unknown>(session?.authenticated ? '/applications' : null);
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const data = program.data;
  useTitle(data ? localized(data.name) : t('programs.title'), Boolean(problem));
  if (!data) return <LoadState loading={program.loading} error={program.error} retry={program.reload} />;
  const ACTIVE = ['draft', 'submitted', 'under_review', 'info_requested'];
  const existing = itemsOf<ApplicationSummary>(mine.data, 'applications').find((a) => a.program_id === id && ACTIVE.includes(a.status));
  // The backend says whether this person can apply now and why not (`you`, as in the list);
  // without it (logged out, or an older API) the programme's window decides.
  const standing = data.you ?? (data.accepting === false ? { can_apply: false, reason: 'program_closed' } : undefined);
  const draftId = data.you?.draft_application_id ?? (existing?.status === 'draft' ? existing.application_id : undefined);
  const blockingId = data.you?.blocking_application_id ?? (existing && existing.status !== 'draft' ? existing.application_id : undefined);
  const apply = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      const created = await api<{ application_id: string }>('POST', `/programs/${encodeURIComponent(id)}/applications`, { body: {}, headers: { 'Idempotency-Key': `apply-${id}-${Date.now().toString(36)}` } });
      navigate(`/applications/${encodeURIComponent(created.application_id)}`);
    } catch (error) {
      const details = error instanceof ApiError ? (error.details as Record<string, any>) : {};
      const other = (details.application_id ?? details.current?.application_id) as string | undefined;
      if (other) navigate(`/applications/${encodeURIComponent(other)}`);
      else setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
  const documents = (data.documents ?? []).map((d) => `${localized(d.label)}${d.required ? '' : ` ${t('common.optional')}`}`);
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <a class="govuk-back-link" href="/programs">
          {t('common.back')}
        </a>
        {problem && <ErrorSummary errors={[{ href: '', text: problem }]} />}
        <h1 class="govuk-heading-l">{localized(data.name)}</h1>
        {Boolean(data.description) && <p class="govuk-body-l">{localized(data.description)}</p>}
        <ProgramFacts program={data} />
        {localized(data.eligibility) && (
          <>
            <h2 class="govuk-heading-m">{t('program.eligibility')}</h2>
            <p class="govuk-body">{localized(data.eligibility)}</p>
          </>
        )}
        {documents.length > 0 && (
          <>
            <h2 class="govuk-heading-m">{t('program.documents_needed')}</h2>
            <ul class="govuk-list govuk-list--bullet">
              {documents.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          </>
        )}
        {session?.authenticated && standing && (
          <p class="govuk-body ssp-standing" id="standing">
            <Standing you={standing} />
            {!standing.can_apply && blockingId && (
              <>
                {' '}
                <a class="govuk-link" href={`/applications/${encodeURIComponent(blockingId)}`}>
                  {t('program.see_existing')}
                </a>
              </>
            )}
          </p>
        )}
        {!session?.authenticated ? (
          <a class="govuk-button" href={`/login?next=${encodeURIComponent(`/programs/${id}`)}`}>
            {t('programs.reason.login_required')}
          </a>
        ) : draftId || blockingId ? (
          <a class="govuk-button" href={`/applications/${encodeURIComponent((draftId ?? blockingId) as string)}`}>
            {draftId ? t('program.continue_application') : t('program.view_application')}
          </a>
        ) : standing && !standing.can_apply ? null : (
          <button type="button" class="govuk-button" onClick={apply} disabled={busy}>
            {t('program.apply')}
          </button>
        )}
      </div>
    </div>
  );
}

/** What a programme gives and when: the amount or benefit, the closing date and how long a
 * decision takes, each only when the programme says. */
export function ProgramFacts({ program }: { program: Program }) {
  const rows = [
    ...(localized(program.benefit) ? [{ key: t('program.benefit'), value: localized(program.benefit) }] : []),
    ...(program.closes_at ? [{ key: t('program.closes_on'), value: formatDate(program.closes_at) }] : []),
    ...(typeof program.decision_days === 'number' && program.decision_days > 0 ? [{ key: t('program.decision_time'), value: t('program.decision_days', { count: program.decision_days }) }] : []),
  ];
  return rows.length ? <SummaryList rows={rows} /> : null;
}

export function Applications() {
  const applications = useApi<unknown>('/applications');
  const list = itemsOf<ApplicationSummary>(applications.data, 'applications');
  return (
    <Page title={t('applications.title')} wide>
      <h1 class="govuk-heading-l">{t('applications.title')}</h1>
      <LoadState loading={applications.loading} error={applications.error} retry={applications.reload} />
      {applications.data !== undefined && list.length === 0 && (
        <>
          <p class="govuk-body">{t('applications.none')}</p>
          <a class="govuk-link" href="/programs">
            {t('applications.browse')}
          </a>
        </>
      )}
      {list.length > 0 && (
        <>
          <p class="govuk-body" role="status">
            {t('applications.count', { count: list.length })}
          </p>
          {/* Cards, not a four-column table: a 320 px phone shows each whole, without scrolling sideways (WCAG 1.4.10). */}
          <ul class="govuk-list ssp-cards">
            {list.map((application) => {
              const name = localized(application.program_name) || application.program_id;
              return (
                <SummaryCard
                  key={application.application_id}
                  title={name}
                  href={`/applications/${encodeURIComponent(application.application_id)}`}
                  rows={[
                    { key: t('applications.status'), value: <StatusTag status={application.status} /> },
                    { key: t('applications.reference'), value: <span class="ssp-ltr">{application.reference ?? t('applications.no_reference')}</span> },
                    { key: t('applications.updated'), value: formatDate(application.updated_at ?? application.submitted_at ?? application.created_at) },
                  ]}
                />
              );
            })}
          </ul>
        </>
      )}
    </Page>
  );
}

interface Enrolment {
  program_id: string;
  program_name?: unknown;
  enrolled_at?: string;
  status?: string;
}

export function Enrolments() {
  const enrolments = useApi<unknown>('/enrolments');
  const list = itemsOf<Enrolment>(enrolments.data, 'enrolments');
  return (
    <Page title={t('enrolments.title')}>
      <h1 class="govuk-heading-l">{t('enrolments.title')}</h1>
      <LoadState loading={enrolments.loading} error={enrolments.error} retry={enrolments.reload} />
      {enrolments.data !== undefined && list.length === 0 && <p class="govuk-body">{t('enrolments.none')}</p>}
      {list.length > 0 && (
        <SummaryList
          rows={list.map((e) => ({
            key: localized(e.program_name) || e.program_id,
            value: (
              <>
                <StatusTag status={e.status ?? 'enrolled'} /> {e.enrolled_at ? t('enrolments.since', { date: formatDate(e.enrolled_at) }) : ''}
              </>
            ),
          }))}
        />
      )}
    </Page>
  );
}
