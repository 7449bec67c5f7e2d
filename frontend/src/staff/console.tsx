/**
 * The staff console (same build, its own routes under /staff). Admins run programmes (texts,
 * window, policy, required documents, consent statements, open/close/archive), forms (versions
 * edited as JSON with a live preview drawn by the registrant app's own renderer, published and
 * mapped to a programme) and the profile form; reviewers work a queue per programme and status
 * (or find an application by its reference), decide with a reason the person will read, and
 * decide on profile change requests.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { ErrorSummary } from '../components/govuk';
import { errorMessage, LoadState, NotFound, Page } from '../components/page';
import { has, t } from '../i18n';
import { match, navigate } from '../router';
import { ChangeRequestPage, ChangeRequests } from './changes';
import { FormEditor, FormsAdmin } from './forms';
import { IntegrationEndpoint, IntegrationsAdmin, PausedEndpoints } from './integrations';
import { lazyPage } from '../components/lazy';
import { ProfileFormEditor } from './profile_form';
import { ArchiveProgram, NewProgram, ProgramAdmin, ProgramConsents, ProgramDocuments, ProgramsAdmin } from './programs';
import { ReviewApplication, ReviewQueue } from './review';
import { isSetupPath, SetupRoutes } from './setup/routes';
import { ProgramTemplates } from './templates';
import { staffLinks } from './links';
import { RETURN_TO } from './officer/common';
import { OfficerRoutes } from './officer/routes';
import { beginSignIn, finishSignIn, signOut, staffUser, type StaffUser } from './signin';

// The form builder and its texts load only when an administrator opens a form.
const FormBuilderPage = lazyPage(async () => (await import('./builder/page')).FormBuilderPage);

export function StaffConsole({ path, query }: { path: string; query: URLSearchParams }) {
  if (path === '/staff/callback') return <Callback query={query} />;
  const user = staffUser();
  if (!user) return <SignIn />;
  let params: Record<string, string> | null;
  if (path === '/staff') return <StaffHome user={user} />;
  if (path === '/staff/programs') return <ProgramsAdmin query={query} />;
  if (path === '/staff/programs/new') return <NewProgram />;
  if (isSetupPath(path)) return <SetupRoutes path={path} query={query} />;
  if ((params = match('/staff/programs/:id', path))) return <ProgramAdmin key={params.id} id={params.id} query={query} />;
  if ((params = match('/staff/programs/:id/documents', path))) return <ProgramDocuments id={params.id} />;
  if ((params = match('/staff/programs/:id/consents', path))) return <ProgramConsents id={params.id} />;
  if ((params = match('/staff/programs/:id/archive', path))) return <ArchiveProgram id={params.id} />;
  if ((params = match('/staff/programs/:id/templates', path))) return <ProgramTemplates id={params.id} />;
  if (path === '/staff/forms') return <FormsAdmin query={query} />;
  if ((params = match('/staff/forms/:id/versions/:version', path))) {
    if (query.get('view') === 'json') return <FormEditor formId={params.id} version={params.version} query={query} />;
    return <FormBuilderPage formId={params.id} version={params.version} query={query} />;
  }
  if (path === '/staff/review') return <ReviewQueue query={query} />;
  if ((params = match('/staff/review/:id', path))) return <ReviewApplication id={params.id} />;
  if (path === '/staff/changes') return <ChangeRequests />;
  if ((params = match('/staff/changes/:id', path))) return <ChangeRequestPage id={params.id} />;
  if (path === '/staff/profile-form') return <ProfileFormEditor />;
  if (path === '/staff/integrations') return <IntegrationsAdmin />;
  if ((params = match('/staff/integrations/:id', path))) return <IntegrationEndpoint key={params.id} id={params.id} />;
  if (path === '/staff/officer' || path.startsWith('/staff/officer/')) return <OfficerRoutes path={path} />;
  return <NotFound />;
}

function SignIn() {
  const [problem, setProblem] = useState<string>();
  const start = async () => {
    try {
      if (location.pathname.startsWith('/staff/')) sessionStorage.setItem(RETURN_TO, location.pathname + location.search);
      await beginSignIn();
    } catch (error) {
      setProblem(error instanceof ApiError ? errorMessage(error) : t('staff.not_available'));
    }
  };
  return (
    <Page title={t('staff.sign_in')} errors={Boolean(problem)}>
      {problem && <ErrorSummary errors={[{ href: '', text: problem }]} />}
      <h1 class="govuk-heading-l">{t('staff.sign_in')}</h1>
      <p class="govuk-body">{t('staff.sign_in_lead')}</p>
      <button type="button" class="govuk-button" onClick={start}>
        {t('staff.sign_in')}
      </button>
    </Page>
  );
}

function Callback({ query }: { query: URLSearchParams }) {
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    finishSignIn(query).then(
      () => {
        // An officer whose sign-in expired mid-session comes back to the page they were on.
        const back = sessionStorage.getItem(RETURN_TO);
        sessionStorage.removeItem(RETURN_TO);
        navigate(back?.startsWith('/staff/') ? back : '/staff', { replace: true });
      },
      () => setProblem(t('staff.sign_in_failed')),
    );
  }, []);
  return (
    <Page title={t('staff.sign_in')}>
      {problem ? (
        <>
          <h1 class="govuk-heading-l">{t('staff.sign_in')}</h1>
          <p class="govuk-body">{problem}</p>
          <a class="govuk-link" href="/staff">
            {t('common.retry')}
          </a>
        </>
      ) : (
        <LoadState loading />
      )}
    </Page>
  );
}

function roleName(role: string): string {
  return has(`staff.role.${role}`) ? t(`staff.role.${role}`) : role;
}

function StaffHome({ user }: { user: StaffUser }) {
  const links = staffLinks(user.roles);
  return (
    <Page title={t('staff.title')}>
      <h1 class="govuk-heading-l">{t('staff.title')}</h1>
      <p class="govuk-body">
        {t('staff.signed_in_as', { who: user.name })} ({user.roles.map(roleName).join(', ')})
      </p>
      {user.roles.includes('admin') && <PausedEndpoints />}
      {links.length === 0 && <p class="govuk-body">{t('staff.nothing_for_role')}</p>}
      <ul class="govuk-list govuk-list--spaced">
        {links.map(({ href, text, lead }) => (
          <li key={href}>
            <a class="govuk-link govuk-link--no-visited-state govuk-!-font-weight-bold" href={href}>
              {t(text)}
            </a>
            <br />
            <span class="govuk-body-s">{t(lead)}</span>
          </li>
        ))}
      </ul>
      <button
        type="button"
        class="govuk-button govuk-button--secondary"
        onClick={() => {
          signOut();
          navigate('/staff');
        }}
      >
        {t('staff.sign_out')}
      </button>
    </Page>
  );
}
