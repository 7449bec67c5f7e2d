/**
 * An assisted session (/staff/officer/sessions/{id}): its countdown, the person's applications,
 * the open programmes to start one, and ending the session.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, itemsOf } from '../../api/client';
import { Table } from '../../components/govuk';
import { LoadState, Page } from '../../components/page';
import { localized, t } from '../../i18n';
import { navigate } from '../../router';
import { isSignInExpired, OfflineBanner, problemText, SignInAgain, useOnline } from './common';

export interface SessionView {
  session_id: string;
  registrant_id: string;
  opened_at: string;
  expires_at: string;
  status: string;
}

interface ApplicationSummary {
  application_id: string;
  program_id: string;
  program_name?: unknown;
  status: string;
  reference?: string | null;
  channel?: string;
}

interface ProgramSummary {
  program_id: string;
  name: unknown;
}

export const sessionPath = (id: string) => `/staff/officer/sessions/${encodeURIComponent(id)}`;
export const sessionApi = (id: string) => `/assisted/sessions/${encodeURIComponent(id)}`;

function remaining(expiresAt: string, now: number): number {
  return Math.max(0, Math.floor((Date.parse(expiresAt) - now) / 1000));
}

/** "Session ends in 12:34"; screen readers hear it at 5 minutes and at 1 minute left, not every second. */
export function Countdown({ expiresAt }: { expiresAt: string }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = remaining(expiresAt, now);
  const text = left > 0 ? t('officer.session_ends_in', { time: `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}` }) : t('officer.session_ended');
  const announce = left === 0 ? t('officer.session_ended') : left <= 60 ? t('officer.session_one_minute') : left <= 300 ? t('officer.session_five_minutes') : '';
  return (
    <>
      <p class="govuk-body govuk-!-font-weight-bold" id="session-countdown">
        {text}
      </p>
      <p class="govuk-visually-hidden" aria-live="polite">
        {announce}
      </p>
    </>
  );
}

export function AssistedSessionPage({ id }: { id: string }) {
  const online = useOnline();
  const [session, setSession] = useState<SessionView>();
  const [applications, setApplications] = useState<ApplicationSummary[]>([]);
  const [programs, setPrograms] = useState<ProgramSummary[]>([]);
  const [error, setError] = useState<unknown>();
  const [problem, setProblem] = useState<unknown>();

  const load = async () => {
    try {
      const found = await api<SessionView>('GET', sessionApi(id), { staff: true });
      setSession(found);
      if (found.status === 'open') {
        const [apps, progs] = await Promise.all([api<unknown>('GET', `${sessionApi(id)}/applications`, { staff: true }), api<unknown>('GET', '/programs')]);
        setApplications(itemsOf<ApplicationSummary>(apps, 'applications'));
        setPrograms(itemsOf<ProgramSummary>(progs, 'programs'));
      }
    } catch (caught) {
      setError(caught);
    }
  };
  useEffect(() => void load(), [id]);

  const start = async (programId: string) => {
    setProblem(undefined);
    try {
      const created = await api<{ application_id: string }>('POST', `${sessionApi(id)}/applications`, {
        staff: true,
        body: { program_id: programId },
        headers: { 'Idempotency-Key': crypto.randomUUID() },
      });
      navigate(`${sessionPath(id)}/applications/${encodeURIComponent(created.application_id)}`);
    } catch (caught) {
      setProblem(caught);
    }
  };
  const end = async () => {
    try {
      await api('POST', `${sessionApi(id)}/close`, { staff: true, body: {} });
      navigate('/staff/officer');
    } catch (caught) {
      setProblem(caught);
    }
  };

  if (error && isSignInExpired(error))
    return (
      <Page title={t('officer.session')}>
        <h1 class="govuk-heading-l">{t('officer.session')}</h1>
        <SignInAgain />
      </Page>
    );
  if (!session) return <LoadState loading={!error} error={error} retry={load} />;
  const open = session.status === 'open';
  const withDraft = new Set(applications.filter((a) => a.status === 'draft').map((a) => a.program_id));
  return (
    <Page title={t('officer.session')} wide>
      <a href="/staff/officer" class="govuk-back-link">
        {t('officer.desk')}
      </a>
      <h1 class="govuk-heading-l">{t('officer.session')}</h1>
      <OfflineBanner online={online} />
      {open ? <Countdown expiresAt={session.expires_at} /> : <p class="govuk-body">{t(`officer.session_status.${session.status}`)}</p>}
      {problem ? (
        <div class="govuk-error-summary" role="alert">
          <div class="govuk-error-summary__body">
            <p class="govuk-body">{problemText(problem)}</p>
            {isSignInExpired(problem) && <SignInAgain />}
          </div>
        </div>
      ) : null}
      {open && (
        <>
          <Table caption={t('officer.persons_applications')} headers={[t('staff.program'), t('staff.request_status'), t('officer.reference_column'), '']}>
            {applications.length === 0 ? (
              <tr class="govuk-table__row">
                <td class="govuk-table__cell" colSpan={4}>
                  {t('officer.no_applications')}
                </td>
              </tr>
            ) : (
              applications.map((a) => (
                <tr class="govuk-table__row" key={a.application_id}>
                  <td class="govuk-table__cell">{localized(a.program_name) || a.program_id}</td>
                  <td class="govuk-table__cell">{t(`status.${a.status}`)}</td>
                  <td class="govuk-table__cell">{a.reference ?? '—'}</td>
                  <td class="govuk-table__cell">
                    <a class="govuk-link" href={`${sessionPath(id)}/applications/${encodeURIComponent(a.application_id)}`}>
                      {a.status === 'draft' ? t('officer.continue_application') : t('officer.view_application')}
                    </a>
                  </td>
                </tr>
              ))
            )}
          </Table>
          <h2 class="govuk-heading-m">{t('officer.start_application')}</h2>
          {programs.length === 0 ? (
            <p class="govuk-body">{t('officer.no_programs')}</p>
          ) : (
            <ul class="govuk-list">
              {programs
                .filter((p) => !withDraft.has(p.program_id))
                .map((p) => (
                  <li key={p.program_id}>
                    <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-2" onClick={() => void start(p.program_id)}>
                      {t('officer.apply_for', { program: localized(p.name) })}
                    </button>
                  </li>
                ))}
            </ul>
          )}
          <button type="button" class="govuk-button govuk-button--warning" onClick={() => void end()}>
            {t('officer.end_session')}
          </button>
        </>
      )}
    </Page>
  );
}
