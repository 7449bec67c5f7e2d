/**
 * Forms, for administrators: a form's versions; a version's title, JSON Schema and UI schema
 * edited side by side with the form as a person will see it; saving and publishing a draft; a
 * new version started from a published one; and a published version mapped to a programme.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { useApi } from '../api/hooks';
import { BackLink, ErrorSummary, SummaryList, Table } from '../components/govuk';
import { LoadState, Page, useTitle } from '../components/page';
import { buildModel } from '../forms/model';
import { formatDate, localized, t } from '../i18n';
import { navigate } from '../router';
import { LocaleTexts, SelectField, TextField } from './fields';
import { EditorAndPreview, JsonField, parseJson, usePreviewModel } from './json_editor';
import { problemsOf, problemsOn, summaryOf, type Problem } from './problems';
import { stateName, StateTag } from './states';
import { SuccessBanner } from './success_banner';
import { cleanTexts, textsOf, type Texts } from './texts';
import { usePrograms, type AdminProgram } from './programs';

const STARTER = {
  title: { en: 'New form', fr: 'Nouveau formulaire', ar: 'نموذج جديد' },
  schema: { type: 'object', properties: { full_name: { type: 'string', maxLength: 200 } }, required: ['full_name'] },
  ui_schema: {
    pages: [{ id: 'about-you', title: { en: 'About you', fr: 'Vous concernant', ar: 'معلومات عنك' }, fields: ['/full_name'] }],
    fields: { '/full_name': { widget: 'text', label: { en: 'Full name', fr: 'Nom complet', ar: 'الاسم الكامل' } } },
  },
};
const FORM_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

interface VersionSummary {
  version: number;
  status: string;
  published_at?: string | null;
  created_at?: string | null;
}

const formPath = (id: string) => `/admin/forms/${encodeURIComponent(id)}`;

export function FormsAdmin({ query }: { query: URLSearchParams }) {
  const shown = query.get('form') ?? '';
  const [formId, setFormId] = useState(shown);
  const [newId, setNewId] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const versions = useApi<{ versions: VersionSummary[] }>(shown ? formPath(shown) : null, { staff: true });
  const programs = usePrograms(['open', 'draft', 'closed']);
  const used = new Map<string, AdminProgram[]>();
  for (const p of programs.list) if (p.form_id) used.set(p.form_id, [...(used.get(p.form_id) ?? []), p]);
  const find = (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!FORM_ID.test(formId.trim())) return setProblems([{ id: 'form-id', text: t('staff.error.form_id') }]);
    setProblems([]);
    navigate(`/staff/forms?form=${encodeURIComponent(formId.trim())}`);
  };
  const create = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (newId.trim() && !FORM_ID.test(newId.trim())) return setProblems([{ id: 'new-form-id', text: t('staff.error.form_id') }]);
    try {
      const created = await api<{ form_id: string; version: number }>('POST', '/admin/forms', { staff: true, body: { ...(newId.trim() ? { form_id: newId.trim() } : {}), ...STARTER } });
      navigate(`/staff/forms/${encodeURIComponent(created.form_id)}/versions/${created.version}?done=created`);
    } catch (error) {
      setProblems(problemsOn(error, 'new-form-id'));
    }
  };
  return (
    <Page title={shown ? t('staff.versions_of', { form: shown }) : t('staff.forms')} errors={problems.length > 0} wide>
      <BackLink href={shown ? '/staff/forms' : '/staff'} />
      <ErrorSummary errors={summaryOf(problems)} />
      <h1 class="govuk-heading-l">{shown ? t('staff.versions_of', { form: shown }) : t('staff.forms')}</h1>
      {shown && <LoadState loading={versions.loading} error={versions.error} retry={versions.reload} />}
      {shown && versions.data && (
        <Table headers={[t('staff.version'), t('staff.program_state'), t('staff.published_on'), <span class="govuk-visually-hidden">{t('staff.actions')}</span>]}>
          {versions.data.versions.map((v) => (
            <tr class="govuk-table__row" key={v.version}>
              <td class="govuk-table__cell">{t('staff.version_n', { n: v.version })}</td>
              <td class="govuk-table__cell">
                <StateTag state={v.status} />
              </td>
              <td class="govuk-table__cell">{formatDate(v.published_at, true)}</td>
              <td class="govuk-table__cell">
                <a class="govuk-link" href={`/staff/forms/${encodeURIComponent(shown)}/versions/${v.version}`}>
                  {v.status === 'draft' ? t('staff.edit') : t('common.view')}
                  <span class="govuk-visually-hidden"> {t('staff.version_n', { n: v.version })}</span>
                </a>
              </td>
            </tr>
          ))}
        </Table>
      )}
      {!shown && (
        <>
          <h2 class="govuk-heading-m">{t('staff.forms_in_use')}</h2>
          <LoadState loading={programs.loading} error={programs.error} />
          {!programs.loading && used.size === 0 && <p class="govuk-body">{t('common.none')}</p>}
          {used.size > 0 && (
            <SummaryList
              rows={[...used].map(([form, list]) => ({
                key: form,
                value: (
                  <>
                    <a class="govuk-link" href={`/staff/forms?form=${encodeURIComponent(form)}`}>
                      {t('staff.versions_of', { form })}
                    </a>
                    <p class="govuk-body-s govuk-!-margin-bottom-0">{list.map((p) => localized(p.name) || p.program_id).join(', ')}</p>
                  </>
                ),
              }))}
            />
          )}
          <form onSubmit={find} noValidate action="#">
            <TextField id="form-id" label={t('staff.find_form')} hint={t('staff.form_id_hint')} width="20" ltr value={formId} onInput={setFormId} problems={problems} />
            <button class="govuk-button govuk-button--secondary" type="submit">
              {t('staff.show_versions')}
            </button>
          </form>
          <h2 class="govuk-heading-m">{t('staff.new_form')}</h2>
          <form onSubmit={create} noValidate action="#">
            <TextField id="new-form-id" label={t('staff.identifier_optional')} hint={t('staff.new_form_hint')} width="20" ltr value={newId} onInput={setNewId} problems={problems} />
            <button class="govuk-button" type="submit">
              {t('staff.new_form')}
            </button>
          </form>
        </>
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
  prefill?: Record<string, unknown> | null;
  published_at?: string | null;
}

export function FormEditor({ formId, version, query }: { formId: string; version: string; query: URLSearchParams }) {
  const loaded = useApi<FormVersion>(`${formPath(formId)}/versions/${encodeURIComponent(version)}`, { staff: true });
  if (!loaded.data) return <LoadState loading={loaded.loading} error={loaded.error} retry={loaded.reload} />;
  return <Editor key={`${formId}/${version}`} form={loaded.data} reload={loaded.reload} done={query.get('done') ?? ''} />;
}

const NOTICES: Record<string, string> = { created: 'staff.form_created', version: 'staff.version_created' };

function editorFieldId(pointer: string): string | undefined {
  if (pointer.startsWith('/ui_schema')) return 'ui-schema';
  if (pointer.startsWith('/schema') || pointer.startsWith('/prefill')) return 'schema';
  if (pointer.startsWith('/title/')) return `form-title-${pointer.split('/')[2]}`;
  if (pointer.startsWith('/title')) return 'form-title-en';
  return undefined;
}

/** A version's definition as the API takes it back. */
function definitionOf(form: FormVersion, title: unknown, schema: unknown, ui: unknown): Record<string, unknown> {
  return { title, schema, ui_schema: ui, ...(form.prefill && typeof form.prefill === 'object' ? { prefill: form.prefill } : {}) };
}

function Editor({ form, reload, done }: { form: FormVersion; reload: () => void; done: string }) {
  const [title, setTitle] = useState<Texts>(textsOf(form.title));
  const [schemaText, setSchemaText] = useState(JSON.stringify(form.schema, null, 2));
  const [uiText, setUiText] = useState(JSON.stringify(form.ui_schema, null, 2));
  const [problems, setProblems] = useState<Problem[]>([]);
  const [notice, setNotice] = useState<string | undefined>(NOTICES[done] ? t(NOTICES[done]) : undefined);
  const draft = form.status !== 'published';
  const model = usePreviewModel(schemaText, uiText, buildModel);
  const path = `${formPath(form.form_id)}/versions/${form.version}`;
  const check = (): Problem[] => {
    const found: Problem[] = [];
    if (!title.en.trim()) found.push({ id: 'form-title-en', text: t('staff.error.title_en') });
    if (parseJson(schemaText) === undefined) found.push({ id: 'schema', text: t('staff.invalid_json') });
    if (parseJson(uiText) === undefined) found.push({ id: 'ui-schema', text: t('staff.invalid_json') });
    return found;
  };
  const save = async (): Promise<boolean> => {
    const found = check();
    setProblems(found);
    setNotice(undefined);
    if (found.length) return false;
    try {
      await api('PUT', path, { staff: true, body: definitionOf(form, cleanTexts(title), JSON.parse(schemaText), JSON.parse(uiText)) });
      return true;
    } catch (error) {
      setProblems(problemsOf(error, editorFieldId, 'schema'));
      return false;
    }
  };
  const onSave = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (await save()) {
      setNotice(t('staff.saved'));
      reload();
    }
  };
  const publish = async () => {
    if (!(await save())) return;
    try {
      await api('POST', `${path}/publish`, { staff: true });
      setNotice(t('staff.published'));
      reload();
    } catch (error) {
      setProblems(problemsOf(error, editorFieldId, 'schema'));
    }
  };
  const newVersion = async () => {
    setProblems([]);
    try {
      const created = await api<{ version: number }>('POST', `${formPath(form.form_id)}/versions`, { staff: true, body: definitionOf(form, form.title, form.schema, form.ui_schema) });
      navigate(`/staff/forms/${encodeURIComponent(form.form_id)}/versions/${created.version}?done=version`);
    } catch (error) {
      setProblems(problemsOf(error, () => undefined, ''));
    }
  };
  const name = localized(draft ? cleanTexts(title) : form.title) || form.form_id;
  useTitle(`${name} – ${t('staff.version_n', { n: form.version })}`, problems.length > 0);
  return (
    <div>
      <BackLink href={`/staff/forms?form=${encodeURIComponent(form.form_id)}`} />
      <ErrorSummary errors={summaryOf(problems)} />
      {notice && <SuccessBanner text={notice} role="status" />}
      <span class="govuk-caption-l">
        <bdi dir="ltr">{form.form_id}</bdi>
      </span>
      <h1 class="govuk-heading-l">
        {name} <span class="govuk-caption-m">{t('staff.version_n', { n: form.version })}</span>
      </h1>
      <p class="govuk-body">
        <StateTag state={form.status} />
      </p>
      {draft ? (
        <p class="govuk-body">{t('staff.draft_lead')}</p>
      ) : (
        <>
          <p class="govuk-body">{t('staff.published_lead', { date: formatDate(form.published_at, true) })}</p>
          <button type="button" id="new-version" class="govuk-button govuk-button--secondary" onClick={newVersion}>
            {t('staff.new_version')}
          </button>
          <MapToProgram form={form} problems={problems} onProblems={setProblems} onMapped={setNotice} />
        </>
      )}
      <EditorAndPreview model={model}>
        <form onSubmit={onSave} noValidate action="#">
          {draft && <LocaleTexts id="form-title" legend={t('staff.form_title')} texts={title} onChange={setTitle} problems={problems} />}
          <JsonField id="schema" label={t('staff.schema')} hint={t('staff.schema_hint')} readOnly={!draft} value={schemaText} onInput={setSchemaText} problems={problems} />
          <JsonField id="ui-schema" label={t('staff.ui_schema')} hint={t('staff.ui_schema_hint')} readOnly={!draft} value={uiText} onInput={setUiText} problems={problems} />
          {draft && (
            <div class="govuk-button-group">
              <button type="submit" class="govuk-button govuk-button--secondary">
                {t('staff.save_draft')}
              </button>
              <button type="button" id="publish" class="govuk-button" onClick={publish}>
                {t('staff.publish')}
              </button>
            </div>
          )}
        </form>
      </EditorAndPreview>
    </div>
  );
}

/** Point a programme at this published version: new applications use it, drafts keep theirs. */
function MapToProgram(props: { form: FormVersion; problems: Problem[]; onProblems: (problems: Problem[]) => void; onMapped: (notice: string | undefined) => void }) {
  const { form, problems, onProblems, onMapped } = props;
  const programs = usePrograms(['draft', 'open', 'closed']);
  const [chosen, setChosen] = useState('');
  const map = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    onMapped(undefined);
    if (!chosen) return onProblems([{ id: 'map-program', text: t('staff.error.choose_program') }]);
    try {
      const program = await api<AdminProgram>('PUT', `/admin/programs/${encodeURIComponent(chosen)}/form`, { staff: true, body: { form_id: form.form_id, version: form.version } });
      onProblems([]);
      onMapped(t('staff.mapped', { name: localized(program.name) || program.program_id, version: form.version }));
      programs.reload();
    } catch (error) {
      onProblems(problemsOn(error, 'map-program'));
    }
  };
  const versionOf = (p: AdminProgram) => (p.form_id === form.form_id && p.form_version === form.version ? `, ${t('staff.uses_this_version')}` : '');
  return (
    <form onSubmit={map} noValidate action="#" aria-labelledby="map-title">
      <h2 class="govuk-heading-m" id="map-title">
        {t('staff.use_version')}
      </h2>
      <SelectField
        id="map-program"
        label={t('staff.program')}
        value={chosen}
        onChange={setChosen}
        options={[['', t('staff.choose_program')], ...programs.list.map((p): [string, string] => [p.program_id, `${localized(p.name) || p.program_id} (${stateName(p.state)}${versionOf(p)})`])]}
        problems={problems}
      />
      <button type="submit" class="govuk-button govuk-button--secondary">
        {t('staff.use_version_button')}
      </button>
    </form>
  );
}
