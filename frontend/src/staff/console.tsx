/**
 * The staff console (same build, its own routes under /staff). Admins run programs and forms
 * (with a live preview drawn by the registrant app's own renderer); reviewers work a queue per
 * program and status, open an application with its answers, documents and timeline, and decide
 * with a reason the person will read.
 */
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError, itemsOf } from '../api/client';
import { useApi } from '../api/hooks';
import { BackLink, ErrorSummary, StatusTag, SummaryList } from '../components/govuk';
import { errorMessage, LoadState, NotFound, Page, useTitle } from '../components/page';
import { buildModel, getAt, setAt, toAnswer, toRaw, visibleFields, type Answers, type RawValue } from '../forms/model';
import { FormFields } from '../forms/render';
import { formatDate, localized, t } from '../i18n';
import { match, navigate } from '../router';
import { Timeline, displayValue, type Application } from '../pages/application';
import { beginSignIn, finishSignIn, signOut, staffUser, type StaffUser } from './signin';

export function StaffConsole({ path, query }: { path: string; query: URLSearchParams }) {
  if (path === '/staff/callback') return <Callback query={query} />;
  const user = staffUser();
  if (!user) return <SignIn />;
  let params: Record<string, string> | null;
  if (path === '/staff') return <StaffHome user={user} />;
  if (path === '/staff/programs') return <ProgramsAdmin />;
  if ((params = match('/staff/programs/:id', path))) return <ProgramAdmin id={params.id} />;
  if (path === '/staff/forms') return <FormsAdmin query={query} />;
  if ((params = match('/staff/forms/:id/versions/:version', path))) return <FormEditor formId={params.id} version={params.version} />;
  if (path === '/staff/review') return <ReviewQueue query={query} />;
  if ((params = match('/staff/review/:id', path))) return <ReviewApplication id={params.id} />;
  return <NotFound />;
}

function SignIn() {
  const [problem, setProblem] = useState<string>();
  const start = async () => {
    try {
      await beginSignIn();
    } catch (error) {
      setProblem(error instanceof ApiError ? errorMessage(error) : t('staff.not_available'));
    }
  };
  return (
    <Page title={t('staff.sign_in')}>
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
      () => navigate('/staff', { replace: true }),
      () => setProblem(t('error.forbidden')),
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

function StaffHome({ user }: { user: StaffUser }) {
  return (
    <Page title={t('staff.title')}>
      <h1 class="govuk-heading-l">{t('staff.title')}</h1>
      <p class="govuk-body">
        {t('staff.signed_in_as', { who: user.name })} ({user.roles.join(', ')})
      </p>
      <ul class="govuk-list govuk-list--spaced">
        {user.roles.includes('admin') && (
          <>
            <li>
              <a class="govuk-link" href="/staff/programs">
                {t('staff.programs')}
              </a>
            </li>
            <li>
              <a class="govuk-link" href="/staff/forms">
                {t('staff.forms')}
              </a>
            </li>
          </>
        )}
        {user.roles.includes('reviewer') && (
          <li>
            <a class="govuk-link" href="/staff/review">
              {t('staff.queue')}
            </a>
          </li>
        )}
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

// --- programs ----------------------------------------------------------------------------------

interface AdminProgram {
  program_id: string;
  name: unknown;
  description?: unknown;
  eligibility?: unknown;
  opens_at?: string | null;
  closes_at?: string | null;
  policy?: { kind?: string; cooldown_days?: number };
  state: string;
  version?: number;
  form_id?: string | null;
  form_version?: number | null;
}

const PROGRAM_STATES = ['open', 'draft', 'closed', 'archived'];

function StateTabs({ base, current, states }: { base: string; current: string; states: string[] }) {
  return (
    <nav aria-label={t('staff.filter_status')}>
      <ul class="govuk-list ssp-inline-list">
        {states.map((state) => (
          <li key={state}>
            {state === current ? (
              <strong aria-current="page">{t(`status.${state}`) === `status.${state}` ? state : t(`status.${state}`)}</strong>
            ) : (
              <a class="govuk-link" href={`${base}${base.includes('?') ? '&' : '?'}status=${state}`}>
                {t(`status.${state}`) === `status.${state}` ? state : t(`status.${state}`)}
              </a>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}

function ProgramsAdmin() {
  const state = new URLSearchParams(location.search).get('status') ?? 'open';
  const programs = useApi<unknown>('/admin/programs', { staff: true, query: { state } });
  const list = itemsOf<AdminProgram>(programs.data);
  const [name, setName] = useState({ en: '', fr: '', ar: '' });
  const [problem, setProblem] = useState<string>();
  const create = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = Object.fromEntries(Object.entries(name).filter(([, v]) => v.trim()));
    try {
      const created = await api<AdminProgram>('POST', '/admin/programs', { staff: true, body: { name: text, description: text } });
      navigate(`/staff/programs/${created.program_id}`);
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  return (
    <Page title={t('staff.programs')} wide>
      <BackLink href="/staff" />
      <h1 class="govuk-heading-l">{t('staff.programs')}</h1>
      <StateTabs base="/staff/programs" current={state} states={PROGRAM_STATES} />
      <LoadState loading={programs.loading} error={programs.error} retry={programs.reload} />
      {list.length > 0 && (
        <SummaryList
          rows={list.map((p) => ({
            key: localized(p.name),
            value: (
              <a class="govuk-link" href={`/staff/programs/${p.program_id}`}>
                {p.program_id}
              </a>
            ),
          }))}
        />
      )}
      <h2 class="govuk-heading-m">{t('staff.new_program')}</h2>
      {problem && <ErrorSummary errors={[{ href: '', text: problem }]} />}
      <form onSubmit={create} noValidate action="#">
        {(['en', 'fr', 'ar'] as const).map((code) => (
          <div class="govuk-form-group" key={code}>
            <label class="govuk-label" for={`program-name-${code}`}>
              {t('staff.program_name')} ({code})
            </label>
            <input class="govuk-input" id={`program-name-${code}`} lang={code} dir="auto" value={name[code]} onInput={(e) => setName({ ...name, [code]: (e.currentTarget as HTMLInputElement).value })} />
          </div>
        ))}
        <button class="govuk-button" type="submit">
          {t('staff.new_program')}
        </button>
      </form>
    </Page>
  );
}

function ProgramAdmin({ id }: { id: string }) {
  const program = useApi<AdminProgram>(`/admin/programs/${encodeURIComponent(id)}`, { staff: true });
  const counts = useApi<{ counts: Record<string, number> }>(`/admin/programs/${encodeURIComponent(id)}/counts`, { staff: true });
  const [mapping, setMapping] = useState({ form_id: '', version: '1' });
  const [problem, setProblem] = useState<string>();
  const data = program.data;
  useTitle(data ? localized(data.name) : t('staff.programs'));
  if (!data) return <LoadState loading={program.loading} error={program.error} retry={program.reload} />;
  const act = async (action: string) => {
    setProblem(undefined);
    try {
      await api('POST', `/admin/programs/${encodeURIComponent(id)}/${action}`, { staff: true });
      program.reload();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  const map = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    try {
      await api('PUT', `/admin/programs/${encodeURIComponent(id)}/form`, { staff: true, body: { form_id: mapping.form_id, version: Number(mapping.version) } });
      program.reload();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  return (
    <div>
      <BackLink href="/staff/programs" />
      {problem && <ErrorSummary errors={[{ href: '', text: problem }]} />}
      <h1 class="govuk-heading-l">{localized(data.name)}</h1>
      <SummaryList
        rows={[
          { key: t('staff.program_state'), value: data.state },
          { key: t('staff.map_form'), value: data.form_id ? <a class="govuk-link" href={`/staff/forms/${data.form_id}/versions/${data.form_version}`}>{`${data.form_id} v${data.form_version}`}</a> : t('common.none') },
          ...Object.entries(counts.data?.counts ?? {}).map(([status, n]) => ({ key: t(`status.${status}`), value: String(n) })),
        ]}
      />
      <div class="govuk-button-group">
        {(data.state === 'draft' || data.state === 'closed') && (
          <button type="button" class="govuk-button" onClick={() => act('open')}>
            {t('staff.open')}
          </button>
        )}
        {data.state === 'open' && (
          <button type="button" class="govuk-button govuk-button--warning" onClick={() => act('close')}>
            {t('staff.close')}
          </button>
        )}
        <a class="govuk-link" href={`/staff/review?program=${encodeURIComponent(id)}`}>
          {t('staff.queue')}
        </a>
      </div>
      <ProgramDetails program={data} onSaved={program.reload} />
      <h2 class="govuk-heading-m">{t('staff.map_form')}</h2>
      <form onSubmit={map} noValidate action="#">
        <div class="govuk-form-group">
          <label class="govuk-label" for="map-form-id">
            form_id
          </label>
          <input class="govuk-input govuk-input--width-20" id="map-form-id" value={mapping.form_id} onInput={(e) => setMapping({ ...mapping, form_id: (e.currentTarget as HTMLInputElement).value })} />
        </div>
        <div class="govuk-form-group">
          <label class="govuk-label" for="map-form-version">
            {t('staff.versions')}
          </label>
          <input class="govuk-input govuk-input--width-4" id="map-form-version" inputMode="numeric" value={mapping.version} onInput={(e) => setMapping({ ...mapping, version: (e.currentTarget as HTMLInputElement).value })} />
        </div>
        <button class="govuk-button govuk-button--secondary" type="submit">
          {t('staff.save')}
        </button>
      </form>
    </div>
  );
}

const LOCALE_CODES = ['en', 'fr', 'ar'] as const;
type Texts = Record<(typeof LOCALE_CODES)[number], string>;

function textsOf(value: unknown): Texts {
  const map = (value && typeof value === 'object' ? value : {}) as Record<string, string>;
  return { en: map.en ?? '', fr: map.fr ?? '', ar: map.ar ?? '' };
}

function cleanTexts(texts: Texts): Record<string, string> {
  return Object.fromEntries(Object.entries(texts).filter(([, v]) => v.trim()));
}

/** Edit a programme's texts (per language), application window and policy. */
function ProgramDetails({ program, onSaved }: { program: AdminProgram; onSaved: () => void }) {
  const [texts, setTexts] = useState({ name: textsOf(program.name), description: textsOf(program.description), eligibility: textsOf(program.eligibility) });
  const [window_, setWindow] = useState({ opens_at: program.opens_at ?? '', closes_at: program.closes_at ?? '' });
  const [policy, setPolicy] = useState({ kind: program.policy?.kind ?? 'one_active', cooldown_days: String(program.policy?.cooldown_days ?? 0) });
  const [problems, setProblems] = useState<{ href: string; text: string }[]>([]);
  const [saved, setSaved] = useState(false);
  const save = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    try {
      await api('PATCH', `/admin/programs/${encodeURIComponent(program.program_id)}`, {
        staff: true,
        body: {
          name: cleanTexts(texts.name),
          ...(Object.keys(cleanTexts(texts.description)).length ? { description: cleanTexts(texts.description) } : {}),
          ...(Object.keys(cleanTexts(texts.eligibility)).length ? { eligibility: cleanTexts(texts.eligibility) } : {}),
          opens_at: window_.opens_at.trim() || null,
          closes_at: window_.closes_at.trim() || null,
          policy: { kind: policy.kind, ...(policy.kind === 'repeat' ? { cooldown_days: Number(policy.cooldown_days) || 0 } : {}) },
          version: program.version,
        },
      });
      setProblems([]);
      setSaved(true);
      onSaved();
    } catch (error) {
      if (error instanceof ApiError && Object.keys(error.fields).length) {
        setProblems(Object.entries(error.fields).map(([pointer, code]) => ({ href: `#program-${pointer.split('/')[1]}-${pointer.split('/')[2] ?? 'en'}`, text: `${pointer}: ${code}` })));
      } else setProblems([{ href: '', text: errorMessage(error) }]);
    }
  };
  const textField = (kind: 'name' | 'description' | 'eligibility', label: string) => (
    <fieldset class="govuk-fieldset govuk-!-margin-bottom-4">
      <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{label}</legend>
      {LOCALE_CODES.map((code) => (
        <div class="govuk-form-group" key={code}>
          <label class="govuk-label" for={`program-${kind}-${code}`}>
            {code}
          </label>
          <textarea
            class="govuk-textarea"
            rows={kind === 'name' ? 1 : 3}
            id={`program-${kind}-${code}`}
            lang={code}
            dir="auto"
            value={texts[kind][code]}
            onInput={(e) => setTexts({ ...texts, [kind]: { ...texts[kind], [code]: (e.currentTarget as HTMLTextAreaElement).value } })}
          />
        </div>
      ))}
    </fieldset>
  );
  return (
    <form onSubmit={save} noValidate action="#">
      <h2 class="govuk-heading-m">{t('staff.edit')}</h2>
      <ErrorSummary errors={problems} />
      {saved && (
        <p class="govuk-body" role="status">
          {t('staff.saved')}
        </p>
      )}
      {textField('name', t('staff.program_name'))}
      {textField('description', t('staff.program_description'))}
      {textField('eligibility', t('program.eligibility'))}
      {(['opens_at', 'closes_at'] as const).map((key) => (
        <div class="govuk-form-group" key={key}>
          <label class="govuk-label" for={`program-${key}`}>
            {t(`staff.${key}`)}
          </label>
          <div class="govuk-hint" id={`program-${key}-hint`}>
            {t('staff.moment_hint')}
          </div>
          <input class="govuk-input govuk-input--width-20 ssp-ltr" id={`program-${key}`} aria-describedby={`program-${key}-hint`} value={window_[key]} onInput={(e) => setWindow({ ...window_, [key]: (e.currentTarget as HTMLInputElement).value })} />
        </div>
      ))}
      <div class="govuk-form-group">
        <label class="govuk-label" for="program-policy">
          {t('staff.policy')}
        </label>
        <select class="govuk-select" id="program-policy" value={policy.kind} onChange={(e) => setPolicy({ ...policy, kind: (e.currentTarget as HTMLSelectElement).value })}>
          {['once', 'one_active', 'repeat'].map((kind) => (
            <option key={kind} value={kind}>
              {t(`staff.policy.${kind}`)}
            </option>
          ))}
        </select>
      </div>
      {policy.kind === 'repeat' && (
        <div class="govuk-form-group">
          <label class="govuk-label" for="program-cooldown">
            {t('staff.cooldown_days')}
          </label>
          <input class="govuk-input govuk-input--width-4" id="program-cooldown" inputMode="numeric" value={policy.cooldown_days} onInput={(e) => setPolicy({ ...policy, cooldown_days: (e.currentTarget as HTMLInputElement).value })} />
        </div>
      )}
      <button type="submit" class="govuk-button govuk-button--secondary">
        {t('staff.save')}
      </button>
    </form>
  );
}

// --- forms -------------------------------------------------------------------------------------

const STARTER = {
  title: { en: 'New form' },
  schema: { type: 'object', properties: { full_name: { type: 'string', maxLength: 200 } }, required: ['full_name'] },
  ui_schema: { pages: [{ id: 'about-you', title: { en: 'About you' }, fields: ['/full_name'] }], fields: { '/full_name': { widget: 'text', label: { en: 'Full name' } } } },
};

function FormsAdmin({ query }: { query: URLSearchParams }) {
  const [formId, setFormId] = useState(query.get('form') ?? '');
  const versions = useApi<{ versions: { version: number; status: string }[] }>(query.get('form') ? `/admin/forms/${encodeURIComponent(query.get('form') as string)}` : null, { staff: true });
  const [problem, setProblem] = useState<string>();
  const create = async () => {
    try {
      const created = await api<{ form_id: string; version: number }>('POST', '/admin/forms', { staff: true, body: { ...(formId ? { form_id: formId } : {}), ...STARTER } });
      navigate(`/staff/forms/${created.form_id}/versions/${created.version}`);
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  return (
    <Page title={t('staff.forms')}>
      <BackLink href="/staff" />
      {problem && <ErrorSummary errors={[{ href: '', text: problem }]} />}
      <h1 class="govuk-heading-l">{t('staff.forms')}</h1>
      <form action="/staff/forms" method="get" onSubmit={(e) => (e.preventDefault(), navigate(`/staff/forms?form=${encodeURIComponent(formId)}`))}>
        <div class="govuk-form-group">
          <label class="govuk-label" for="form-id">
            form_id
          </label>
          <input class="govuk-input govuk-input--width-20" id="form-id" name="form" value={formId} onInput={(e) => setFormId((e.currentTarget as HTMLInputElement).value)} />
        </div>
        <div class="govuk-button-group">
          <button class="govuk-button" type="submit">
            {t('staff.versions')}
          </button>
          <button class="govuk-button govuk-button--secondary" type="button" onClick={create}>
            {t('staff.new_form')}
          </button>
        </div>
      </form>
      <LoadState loading={versions.loading && Boolean(query.get('form'))} error={versions.error} />
      {versions.data && (
        <SummaryList
          rows={versions.data.versions.map((v) => ({
            key: `v${v.version}`,
            value: (
              <a class="govuk-link" href={`/staff/forms/${query.get('form')}/versions/${v.version}`}>
                {v.status}
              </a>
            ),
          }))}
        />
      )}
    </Page>
  );
}

interface FormVersion {
  form_id: string;
  version: number;
  status: string;
  title: unknown;
  schema: Record<string, unknown>;
  ui_schema: Record<string, unknown>;
  prefill?: Record<string, unknown>;
}

/** JSON editors for the schema and UI schema, and the form as a person will see it, side by side. */
function FormEditor({ formId, version }: { formId: string; version: string }) {
  const loaded = useApi<FormVersion>(`/admin/forms/${encodeURIComponent(formId)}/versions/${encodeURIComponent(version)}`, { staff: true });
  if (!loaded.data) return <LoadState loading={loaded.loading} error={loaded.error} retry={loaded.reload} />;
  return <Editor key={`${formId}/${version}`} form={loaded.data} reload={loaded.reload} />;
}

function Editor({ form, reload }: { form: FormVersion; reload: () => void }) {
  const [schemaText, setSchemaText] = useState(JSON.stringify(form.schema, null, 2));
  const [uiText, setUiText] = useState(JSON.stringify(form.ui_schema, null, 2));
  const [problems, setProblems] = useState<{ href: string; text: string }[]>([]);
  const [notice, setNotice] = useState<string>();
  const parsed = useMemo(() => {
    try {
      const schema = JSON.parse(schemaText);
      const ui = JSON.parse(uiText);
      return { schema, ui, model: buildModel(schema, ui) };
    } catch {
      return undefined;
    }
  }, [schemaText, uiText]);
  const [raw, setRaw] = useState<Record<string, RawValue>>({});
  const draft = form.status !== 'published';
  const save = async () => {
    if (!parsed) return setProblems([{ href: '#schema', text: t('staff.invalid_json') }]);
    try {
      await api('PUT', `/admin/forms/${encodeURIComponent(form.form_id)}/versions/${form.version}`, {
        staff: true,
        body: { title: form.title, schema: parsed.schema, ui_schema: parsed.ui, ...(form.prefill ? { prefill: form.prefill } : {}) },
      });
      setProblems([]);
      setNotice(t('staff.save'));
      reload();
    } catch (error) {
      if (error instanceof ApiError && Object.keys(error.fields).length) {
        setProblems(Object.entries(error.fields).map(([pointer, code]) => ({ href: pointer.startsWith('/ui_schema') ? '#ui-schema' : '#schema', text: `${pointer}: ${code}` })));
      } else setProblems([{ href: '', text: errorMessage(error) }]);
    }
  };
  const publish = async () => {
    try {
      await api('POST', `/admin/forms/${encodeURIComponent(form.form_id)}/versions/${form.version}/publish`, { staff: true });
      reload();
    } catch (error) {
      setProblems([{ href: '', text: errorMessage(error) }]);
    }
  };
  // The preview answers as a person would, so conditional questions appear as they will.
  let answers: Answers = {};
  if (parsed) for (const [name, value] of Object.entries(raw)) if (parsed.model.fields[name]) answers = setAt(answers, name, toAnswer(parsed.model.fields[name], value).value);
  const visible = parsed ? visibleFields(parsed.model, answers) : new Set<string>();
  useTitle(`${form.form_id} v${form.version}`, problems.length > 0);
  return (
    <div>
      <BackLink href={`/staff/forms?form=${form.form_id}`} />
      <ErrorSummary errors={problems} />
      {notice && (
        <p class="govuk-body" role="status">
          {notice} ✓
        </p>
      )}
      <h1 class="govuk-heading-l">
        {localized(form.title)} <span class="govuk-caption-m">{`${form.form_id} v${form.version} · ${form.status}`}</span>
      </h1>
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-one-half">
          <div class="govuk-form-group">
            <label class="govuk-label govuk-label--s" for="schema">
              {t('staff.schema')}
            </label>
            <textarea class="govuk-textarea ssp-json-editor" id="schema" rows={16} readOnly={!draft} spellcheck={false} value={schemaText} onInput={(e) => setSchemaText((e.currentTarget as HTMLTextAreaElement).value)} />
          </div>
          <div class="govuk-form-group">
            <label class="govuk-label govuk-label--s" for="ui-schema">
              {t('staff.ui_schema')}
            </label>
            <textarea class="govuk-textarea ssp-json-editor" id="ui-schema" rows={16} readOnly={!draft} spellcheck={false} value={uiText} onInput={(e) => setUiText((e.currentTarget as HTMLTextAreaElement).value)} />
          </div>
          {draft && (
            <div class="govuk-button-group">
              <button type="button" class="govuk-button" onClick={save}>
                {t('staff.save')}
              </button>
              <button type="button" class="govuk-button govuk-button--secondary" onClick={publish}>
                {t('staff.publish')}
              </button>
            </div>
          )}
        </div>
        <div class="govuk-grid-column-one-half">
          <h2 class="govuk-heading-m">{t('staff.preview')}</h2>
          <div class="ssp-preview">
            {!parsed && <p class="govuk-error-message">{t('staff.invalid_json')}</p>}
            {parsed &&
              parsed.model.pages.map((page) => (
                <div key={page.id}>
                  <h3 class="govuk-heading-s">{localized(page.title)}</h3>
                  <FormFields
                    model={parsed.model}
                    names={page.fields.filter((n) => visible.has(n))}
                    raw={{ ...Object.fromEntries(parsed.model.order.map((n) => [n, toRaw(parsed.model.fields[n], getAt(answers, n))])), ...raw }}
                    errors={{}}
                    required={parsed.model.required}
                    onChange={(name, value) => setRaw((r) => ({ ...r, [name]: value }))}
                  />
                </div>
              ))}
          </div>
        </div>
      </div>
    </div>
  );
}

// --- review --------------------------------------------------------------------------------------

interface ReviewSummary {
  application_id: string;
  status: string;
  reference?: string;
  submitted_at?: string;
  channel?: string;
}

const REVIEW_STATUSES = ['submitted', 'under_review', 'info_requested', 'approved', 'rejected', 'enrolled', 'withdrawn'];

function ReviewQueue({ query }: { query: URLSearchParams }) {
  const programs = useApi<unknown>('/admin/programs', { staff: true, query: { state: 'open' } });
  const list = itemsOf<AdminProgram>(programs.data);
  const program = query.get('program') ?? list[0]?.program_id;
  const status = query.get('status') ?? 'submitted';
  const queue = useApi<unknown>(program ? `/admin/programs/${encodeURIComponent(program)}/applications` : null, { staff: true, query: { status } });
  const items = itemsOf<ReviewSummary>(queue.data);
  const [reference, setReference] = useState('');
  const [problem, setProblem] = useState<string>();
  const find = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    try {
      const found = await api<ReviewSummary>('GET', '/admin/applications', { staff: true, query: { reference } });
      navigate(`/staff/review/${encodeURIComponent(found.application_id)}`);
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  return (
    <Page title={t('staff.queue')} wide>
      <BackLink href="/staff" />
      {problem && <ErrorSummary errors={[{ href: '#reference', text: problem }]} />}
      <h1 class="govuk-heading-l">{t('staff.queue')}</h1>
      <form onSubmit={find} noValidate action="#">
        <div class="govuk-form-group">
          <label class="govuk-label" for="reference">
            {t('applications.reference')}
          </label>
          <input class="govuk-input govuk-input--width-20" id="reference" value={reference} onInput={(e) => setReference((e.currentTarget as HTMLInputElement).value)} />
        </div>
        <button type="submit" class="govuk-button govuk-button--secondary">
          {t('common.continue')}
        </button>
      </form>
      <nav aria-label={t('staff.programs')}>
        <ul class="govuk-list ssp-inline-list">
          {list.map((p) =>
            p.program_id === program ? (
              <li key={p.program_id}>
                <strong aria-current="page">{localized(p.name)}</strong>
              </li>
            ) : (
              <li key={p.program_id}>
                <a class="govuk-link" href={`/staff/review?program=${encodeURIComponent(p.program_id)}&status=${status}`}>
                  {localized(p.name)}
                </a>
              </li>
            ),
          )}
        </ul>
      </nav>
      {program && <StateTabs base={`/staff/review?program=${encodeURIComponent(program)}`} current={status} states={REVIEW_STATUSES} />}
      <LoadState loading={queue.loading || programs.loading} error={queue.error ?? programs.error} />
      {queue.data !== undefined && items.length === 0 && <p class="govuk-body">{t('staff.no_applications')}</p>}
      {items.length > 0 && (
        <table class="govuk-table">
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">{t('applications.reference')}</th>
              <th scope="col" class="govuk-table__header">{t('applications.status')}</th>
              <th scope="col" class="govuk-table__header">{t('applications.updated')}</th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
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
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

const NEXT: Record<string, string[]> = {
  submitted: ['under_review'],
  under_review: ['approved', 'rejected', 'info_requested'],
  approved: ['enrolled'],
};
const DECISION_LABELS: Record<string, string> = {
  under_review: 'timeline.event.under_review',
  approved: 'staff.approve',
  rejected: 'staff.reject',
  info_requested: 'staff.request_info',
  enrolled: 'timeline.event.enrolled',
};

interface StaffDocument {
  document_id: string;
  kind: string;
  file_name: string;
  status: string;
}

function ReviewApplication({ id }: { id: string }) {
  const loaded = useApi<Application & { registrant_id: string }>(`/admin/applications/${encodeURIComponent(id)}`, { staff: true });
  const documents = useApi<unknown>('/admin/documents', { staff: true, query: { application_id: id } });
  const application = loaded.data;
  const form = useApi<{ schema: Record<string, unknown>; ui_schema: Record<string, unknown> }>(application ? `/forms/${encodeURIComponent(application.form_id)}/versions/${application.form_version}` : null);
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ href: string; text: string }[]>([]);
  const [done, setDone] = useState(false);
  useTitle(application?.reference ?? t('staff.queue'), errors.length > 0);
  if (!application) return <LoadState loading={loaded.loading} error={loaded.error} retry={loaded.reload} />;
  const model = form.data ? buildModel(form.data.schema, form.data.ui_schema) : undefined;
  const choices = NEXT[application.status] ?? [];
  const decide = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problems = [];
    if (!to) problems.push({ href: `#decision-${choices[0]}`, text: t('field.error.required_choice') });
    if (to && to !== 'under_review' && to !== 'enrolled' && !reason.trim()) problems.push({ href: '#reason', text: t('field.error.required') });
    setErrors(problems);
    if (problems.length) return;
    try {
      await api('POST', `/admin/applications/${encodeURIComponent(id)}/decision`, { staff: true, body: { to, ...(reason.trim() ? { reason } : {}), version: application.version } });
      setDone(true);
      setTo('');
      setReason('');
      loaded.reload();
    } catch (error) {
      setErrors([{ href: '', text: errorMessage(error) }]);
    }
  };
  const visible = model ? visibleFields(model, application.answers) : new Set<string>();
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <BackLink href={`/staff/review?program=${encodeURIComponent(application.program_id)}&status=${application.status}`} />
        <ErrorSummary errors={errors} />
        {done && (
          <div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="decided-title">
            <div class="govuk-notification-banner__header">
              <h2 class="govuk-notification-banner__title" id="decided-title">
                {t('banner.success')}
              </h2>
            </div>
            <div class="govuk-notification-banner__content">
              <p class="govuk-notification-banner__heading">{t('staff.decided')}</p>
            </div>
          </div>
        )}
        <span class="govuk-caption-l">{localized(application.program_name)}</span>
        <h1 class="govuk-heading-l ssp-ltr">{application.reference}</h1>
        <p class="govuk-body">
          <StatusTag status={application.status} />
        </p>
        <h2 class="govuk-heading-m">{t('staff.answers')}</h2>
        {model && (
          <SummaryList
            rows={model.order.filter((n) => visible.has(n)).map((name) => ({ key: localized(model.fields[name].label), value: displayValue(model.fields[name], getAt(application.answers, name)) }))}
          />
        )}
        <h2 class="govuk-heading-m">{t('timeline.documents')}</h2>
        <ul class="govuk-list">
          {itemsOf<StaffDocument>(documents.data).map((d) => (
            <li key={d.document_id}>
              <StaffDownload document={d} />
            </li>
          ))}
        </ul>
        {choices.length > 0 && (
          <form onSubmit={decide} noValidate action="#">
            <div class="govuk-form-group">
              <fieldset class="govuk-fieldset">
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">{t('staff.decision')}</legend>
                <div class="govuk-radios" data-module="govuk-radios">
                  {choices.map((choice) => (
                    <div class="govuk-radios__item" key={choice}>
                      <input class="govuk-radios__input" id={`decision-${choice}`} name="decision" type="radio" value={choice} checked={to === choice} onChange={() => setTo(choice)} />
                      <label class="govuk-label govuk-radios__label" for={`decision-${choice}`}>
                        {t(DECISION_LABELS[choice])}
                      </label>
                    </div>
                  ))}
                </div>
              </fieldset>
            </div>
            <div class="govuk-form-group">
              <label class="govuk-label" for="reason">
                {t('staff.reason')}
              </label>
              <div class="govuk-hint" id="reason-hint">
                {t('staff.reason_hint')}
              </div>
              <textarea class="govuk-textarea" id="reason" rows={4} aria-describedby="reason-hint" value={reason} onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)} />
            </div>
            <button type="submit" class="govuk-button">
              {t('common.submit')}
            </button>
          </form>
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
      <strong class={`govuk-tag ${document.status === 'available' ? 'govuk-tag--green' : 'govuk-tag--yellow'}`}>{document.status === 'available' ? t('documents.verified') : t('documents.checking')}</strong>
      {problem && <p class="govuk-error-message">{problem}</p>}
    </>
  );
}
