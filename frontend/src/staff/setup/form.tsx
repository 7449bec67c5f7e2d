/**
 * The "form" task: which published form version people apply with. Shows the version mapped and
 * every version of that form; maps a published one (first time, or moving to a newer one), says
 * plainly what happens to applications already started, and links to the form builder for drafts.
 *
 * What happens to drafts is what the API does (programs/service.py `_form_of`, tested in
 * tests/programs/test_admin_programs.py): an application records the version it was started
 * with and is saved and checked against that version until it is sent; only new applications
 * use the newly mapped one.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api, ApiError } from '../../api/client';
import { useApi } from '../../api/hooks';
import { BackLink, ErrorSummary } from '../../components/govuk';
import { LoadState, useTitle } from '../../components/page';
import { formatDate, localized, t } from '../../i18n';
import { navigate } from '../../router';
import { TextField } from '../fields';
import { problemsOf, summaryOf, type Problem } from '../problems';
import { StateTag } from '../states';
import { programPath, setupHref, WithProgram, type Program } from './common';

interface VersionSummary {
  version: number;
  status: string;
  published_at?: string | null;
}

const FORM_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const formPath = (id: string) => `/admin/forms/${encodeURIComponent(id)}`;
/** Where a version is edited (the form builder, or the JSON editor it offers as import and export). */
export const versionHref = (form: string, version: number) => `/staff/forms/${encodeURIComponent(form)}/versions/${version}`;

export function SetupForm({ id, query }: { id: string; query: URLSearchParams }) {
  return <WithProgram id={id}>{(program) => <FormTask program={program} shown={query.get('form') ?? program.form_id ?? ''} />}</WithProgram>;
}

function FormTask({ program, shown }: { program: Program; shown: string }) {
  const [formId, setFormId] = useState(shown);
  const [problems, setProblems] = useState<Problem[]>([]);
  const versions = useApi<{ versions: VersionSummary[] }>(shown ? formPath(shown) : null, { staff: true });
  const name = localized(program.name) || program.program_id;
  useTitle(t('staff.setup.form.title', { name }), problems.length > 0);
  const here = setupHref(program.program_id, 'form');

  const find = (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!FORM_ID.test(formId.trim())) return setProblems([{ id: 'setup-form-id', text: t('staff.error.form_id') }]);
    setProblems([]);
    navigate(`${here}?form=${encodeURIComponent(formId.trim())}`);
  };
  const map = async (form: string, version: number) => {
    setProblems([]);
    try {
      await api('PUT', `${programPath(program.program_id)}/form`, { staff: true, body: { form_id: form, version } });
      navigate(`${setupHref(program.program_id)}?done=form`);
    } catch (error) {
      setProblems(problemsOf(error, () => `use-${form}-${version}`, `use-${form}-${version}`));
    }
  };
  const mapped = (form: string, v: VersionSummary) => program.form_id === form && program.form_version === v.version;
  const newest = versions.data?.versions.find((v) => v.status === 'published');
  const moving = Boolean(program.form_id && newest && shown === program.form_id && (program.form_version ?? 0) < newest.version);

  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <BackLink href={setupHref(program.program_id)} />
        <ErrorSummary errors={summaryOf(problems)} />
        <span class="govuk-caption-l">{name}</span>
        <h1 class="govuk-heading-l">{t('staff.setup.task.form')}</h1>
        <p class="govuk-body">
          {program.form_id ? (
            <>
              {t('staff.setup.form.uses')}{' '}
              <strong class="ssp-ltr">{t('staff.form_version', { form: program.form_id, version: program.form_version ?? '' })}</strong>
            </>
          ) : (
            t('staff.setup.form.none')
          )}
        </p>
        <div class="govuk-inset-text" id="setup-form-drafts">
          <h2 class="govuk-heading-s">{t('staff.setup.form.drafts_title')}</h2>
          <p class="govuk-body">{t('staff.setup.form.drafts')}</p>
          <p class="govuk-body govuk-!-margin-bottom-0">{t('staff.setup.form.submitted')}</p>
        </div>
        {moving && newest && <p class="govuk-body">{t('staff.setup.form.newer', { version: newest.version })}</p>}
        {shown && versions.error instanceof ApiError && versions.error.status === 404 ? (
          <p class="govuk-body">{t('staff.setup.form.not_found', { form: shown })}</p>
        ) : (
          shown && <LoadState loading={versions.loading} error={versions.error} retry={versions.reload} />
        )}
        {shown && versions.data && (
          <>
            <h2 class="govuk-heading-m">{t('staff.versions_of', { form: shown })}</h2>
            {/* A list rather than a table: it stays inside a 320 px screen. */}
            <ul class="govuk-list govuk-list--spaced" id="setup-form-versions">
              {versions.data.versions.map((v) => (
                <li key={v.version} class="govuk-!-padding-bottom-2">
                  <strong>{t('staff.version_n', { n: v.version })}</strong> <StateTag state={v.status} />
                  {v.published_at && <span class="govuk-body-s"> {t('staff.setup.form.published_on', { date: formatDate(v.published_at) })}</span>}
                  <br />
                  {mapped(shown, v) ? (
                    <span>{t('staff.setup.form.in_use')}</span>
                  ) : v.status === 'published' ? (
                    <button type="button" id={`use-${shown}-${v.version}`} class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0 govuk-!-margin-top-2" onClick={() => map(shown, v.version)}>
                      {t('staff.setup.form.use', { n: v.version })}
                    </button>
                  ) : (
                    <a class="govuk-link" href={versionHref(shown, v.version)}>
                      {t('staff.setup.form.continue', { n: v.version })}
                    </a>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
        {shown && versions.data && (
          <p class="govuk-body">
            <a class="govuk-link" href={`/staff/forms?form=${encodeURIComponent(shown)}`}>
              {t('staff.setup.form.all_versions')}
            </a>
          </p>
        )}
        <h2 class="govuk-heading-m">{t('staff.setup.form.other')}</h2>
        <form onSubmit={find} noValidate action="#">
          <TextField id="setup-form-id" label={t('staff.setup.form.find')} hint={t('staff.setup.form.find_hint')} width="20" ltr value={formId} onInput={setFormId} problems={problems} />
          <button type="submit" class="govuk-button govuk-button--secondary">
            {t('staff.setup.form.show')}
          </button>
        </form>
        <p class="govuk-body">
          <a class="govuk-link" href={`/staff/forms?program=${encodeURIComponent(program.program_id)}`}>
            {t('staff.setup.form.build')}
          </a>
        </p>
      </div>
    </div>
  );
}

