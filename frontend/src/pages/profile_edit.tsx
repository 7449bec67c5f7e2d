/**
 * "Change your details": the profile form drawn by the same renderer as the applications' forms,
 * with real labels, choices and selects (gender, language, country) in the reader's language,
 * the fields the form requires, and a success banner on "my details" after saving.
 */
import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import { useApi } from '../api/hooks';
import { BackLink, ErrorSummary, type ErrorItem } from '../components/govuk';
import { errorMessage, LoadState, Page } from '../components/page';
import { fieldOfPointer, getAt, profileFormModel, setAt, toAnswer, toRaw, validateFields, type Answers, type FieldError, type RawValue } from '../forms/model';
import { errorText, FormFields, inputId } from '../forms/render';
import { has, locale, t } from '../i18n';
import { navigate } from '../router';
import { countryOptions, languageOptions, profileFieldLabel } from './profile_text';

export interface ProfileField {
  value: unknown;
  source?: string | null;
  verified?: boolean;
  changed_at?: string | null;
  in_form?: boolean;
  pending_change?: unknown;
}

export interface ProfileData {
  version: number;
  individual_id?: string | null;
  order: string[];
  fields: Record<string, ProfileField>;
  profile_form: { schema: Record<string, any>; labels: Record<string, Record<string, string>> };
}

/** What the last save did, said once by "my details" in its success banner. */
let savedNotice: string | undefined;

/** The success banner's text after a save, once (undefined when nothing was saved). */
export function takeSavedNotice(): string | undefined {
  const notice = savedNotice;
  savedNotice = undefined;
  return notice;
}

/** The choices a profile field offers: gender, language and country by name in the reader's language. */
function choicesFor(profile: ProfileData) {
  return (name: string, values: unknown[] | undefined): { value: string; label: string }[] | undefined => {
    const last = name.split('/').pop() ?? name;
    const current = getAt(Object.fromEntries(Object.entries(profile.fields).map(([n, f]) => [n, f.value])), `/${name}`);
    if (values && last === 'gender') return values.map((v) => ({ value: String(v), label: has(`profile.gender.${v}`) ? t(`profile.gender.${v}`) : String(v) }));
    if (values) return undefined;
    if (last === 'country') {
      const options = countryOptions();
      return typeof current === 'string' && current && !options.some((o) => o.value === current) ? [{ value: current, label: current }, ...options] : options;
    }
    if (last === 'preferred_language' || last === 'locale') return languageOptions(current);
    return undefined;
  };
}

export function EditDetails() {
  const profile = useApi<ProfileData>('/me');
  const data = profile.data;
  if (!data) return <LoadState loading={profile.loading} error={profile.error} retry={profile.reload} />;
  return <EditForm profile={data} />;
}

function EditForm({ profile }: { profile: ProfileData }) {
  const lang = locale();
  const model = useMemo(
    () => profileFormModel(profile.profile_form.schema, (name) => profileFieldLabel(profile.profile_form.labels, name), choicesFor(profile)),
    [profile, lang],
  );
  const current: Answers = Object.fromEntries(Object.entries(profile.fields).map(([name, f]) => [name, f.value]));
  const [raw, setRaw] = useState<Record<string, RawValue>>(() => Object.fromEntries(model.order.map((n) => [n, toRaw(model.fields[n], getAt(current, n))])));
  const [errors, setErrors] = useState<Record<string, FieldError>>({});
  const [problem, setProblem] = useState<string>();
  const messages = Object.fromEntries(model.order.map((n) => [n, errorText(model.fields[n], errors[n])]));
  const summary: ErrorItem[] = model.order.filter((n) => errors[n]).map((n) => ({ href: `#${inputId(model.fields[n])}`, text: messages[n] as string }));
  if (problem) summary.unshift({ href: '', text: problem });
  const verified = model.order.some((n) => profile.fields[n.split('/')[1]]?.verified);

  const save = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    setProblem(undefined);
    const found: Record<string, FieldError> = {};
    let answers: Answers = {};
    for (const name of model.order) {
      const { value, error } = toAnswer(model.fields[name], raw[name]);
      if (error) found[name] = error;
      else if (value !== undefined) answers = setAt(answers, name, value);
    }
    // Required fields and the values that changed are checked here; the server decides.
    const changedNames = model.order.filter((n) => !found[n] && JSON.stringify(getAt(answers, n)) !== JSON.stringify(getAt(current, n)));
    const checked = validateFields(model, answers, [...new Set([...changedNames, ...[...model.required].filter((n) => n in model.fields)])]);
    Object.assign(found, checked);
    setErrors(found);
    if (Object.keys(found).length) return;
    const changes = Object.fromEntries(Object.entries(answers).filter(([name, value]) => JSON.stringify(value) !== JSON.stringify(current[name])));
    if (!Object.keys(changes).length) return navigate('/me');
    try {
      const saved = await api<{ applied: string[]; change_requests: unknown[] }>('PATCH', '/me', { body: changes, headers: { 'If-Match': `"${profile.version}"` } });
      savedNotice = saved?.change_requests?.length ? (saved.applied?.length ? `${t('profile.saved')} ${t('profile.change_requested')}` : t('profile.change_requested')) : t('profile.saved');
      navigate('/me');
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) {
        const server: Record<string, FieldError> = {};
        for (const [pointer, code] of Object.entries(error.fields)) {
          const name = fieldOfPointer(model, pointer);
          if (name) server[name] = { code };
        }
        setErrors(server);
        if (!Object.keys(server).length) setProblem(errorMessage(error));
      } else setProblem(errorMessage(error));
    }
  };
  return (
    <Page title={t('profile.edit')} errors={summary.length > 0}>
      <BackLink href="/me" />
      <ErrorSummary errors={summary} />
      <h1 class="govuk-heading-l">{t('profile.edit')}</h1>
      <p class="govuk-body">{t('profile.lead')}</p>
      {verified && <p class="govuk-body">{t('profile.id_fields_lead')}</p>}
      <form noValidate onSubmit={save} action="#">
        <FormFields model={model} names={model.order} raw={raw} errors={messages} required={model.required} onChange={(name, value) => setRaw((r) => ({ ...r, [name]: value }))} />
        <button type="submit" class="govuk-button">
          {t('profile.save')}
        </button>
      </form>
    </Page>
  );
}
