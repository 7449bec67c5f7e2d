/**
 * The profile form, for administrators: the demographic fields a person keeps (a JSON Schema)
 * and their labels per language, edited as JSON beside the form as a person will see it on
 * "change your details". Saved with the version edited (If-Match), so two admins cannot
 * overwrite each other.
 */
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { useApi } from '../api/hooks';
import { BackLink, ErrorSummary } from '../components/govuk';
import { LoadState, useTitle } from '../components/page';
import { profileFormModel, type FormModel } from '../forms/model';
import { formatDate, t } from '../i18n';
import { profileFieldLabel } from '../pages/profile_text';
import { EditorAndPreview, JsonField, parseJson, usePreviewModel } from './json_editor';
import { problemsOf, summaryOf, type Problem } from './problems';
import { SuccessBanner } from './success_banner';

interface ProfileForm {
  version: number;
  schema: Record<string, unknown>;
  labels: Record<string, Record<string, string>>;
  updated_at?: string | null;
}

/** The form a person sees on "change your details", with the labels being edited. */
function profileModel(schema: Record<string, any>, labels: Record<string, unknown>): FormModel {
  return profileFormModel(schema, (name) => profileFieldLabel(labels, name));
}

export function ProfileFormEditor() {
  const loaded = useApi<ProfileForm>('/profile-form');
  if (!loaded.data) return <LoadState loading={loaded.loading} error={loaded.error} retry={loaded.reload} />;
  return <Editor form={loaded.data} reload={loaded.reload} />;
}

function fieldIdOf(pointer: string): string | undefined {
  if (pointer.startsWith('/labels')) return 'profile-labels';
  if (pointer.startsWith('/schema')) return 'profile-schema';
  return undefined;
}

function Editor({ form, reload }: { form: ProfileForm; reload: () => void }) {
  const [schemaText, setSchemaText] = useState(JSON.stringify(form.schema, null, 2));
  const [labelsText, setLabelsText] = useState(JSON.stringify(form.labels, null, 2));
  const [problems, setProblems] = useState<Problem[]>([]);
  const [saved, setSaved] = useState(false);
  const model = usePreviewModel(schemaText, labelsText, profileModel);
  useTitle(t('staff.profile_form'), problems.length > 0);
  const save = async (event: Event) => {
    event.preventDefault();
    setSaved(false);
    const schema = parseJson(schemaText);
    const labels = parseJson(labelsText);
    const found: Problem[] = [];
    if (schema === undefined) found.push({ id: 'profile-schema', text: t('staff.invalid_json') });
    if (labels === undefined) found.push({ id: 'profile-labels', text: t('staff.invalid_json') });
    setProblems(found);
    if (found.length) return;
    try {
      await api('PUT', '/admin/profile-form', { staff: true, body: { schema, labels }, headers: { 'If-Match': `"${form.version}"` } });
      setSaved(true);
      reload();
    } catch (error) {
      setProblems(problemsOf(error, fieldIdOf, 'profile-schema'));
    }
  };
  return (
    <div>
      <BackLink href="/staff" />
      <ErrorSummary errors={summaryOf(problems)} />
      {saved && <SuccessBanner text={t('staff.profile_form_saved')} role="status" />}
      <h1 class="govuk-heading-l">{t('staff.profile_form')}</h1>
      <p class="govuk-body">{t('staff.profile_form_lead')}</p>
      <p class="govuk-body-s">{form.version ? t('staff.profile_form_version', { n: form.version, date: formatDate(form.updated_at, true) }) : t('staff.profile_form_default')}</p>
      <EditorAndPreview model={model}>
        <form onSubmit={save} noValidate action="#">
          <JsonField id="profile-schema" label={t('staff.schema')} hint={t('staff.profile_schema_hint')} value={schemaText} onInput={setSchemaText} problems={problems} />
          <JsonField id="profile-labels" label={t('staff.labels')} hint={t('staff.labels_hint')} rows={10} value={labelsText} onInput={setLabelsText} problems={problems} />
          <button type="submit" class="govuk-button">
            {t('staff.save')}
          </button>
        </form>
      </EditorAndPreview>
    </div>
  );
}
