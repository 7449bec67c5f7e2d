/**
 * An application the officer fills with the person (/staff/officer/sessions/{s}/applications/{a}):
 * the programme's form drawn by the registrant app's own renderer (every page, one under the
 * other), the required documents from the PC's scanner or camera (file input), the programme's
 * consent statements shown in the language the person chooses, read aloud and agreed by the
 * person, then submit. What the officer types is kept on this PC until the portal accepts it.
 */
import type { FunctionComponent, JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, itemsOf } from '../../api/client';
import { contentTypeOf, type DocumentInfo } from '../../components/documents';
import { ErrorSummary, type ErrorItem } from '../../components/govuk';
import { errorMessage, LoadState, Page } from '../../components/page';
import {
  buildModel,
  fieldOfPointer,
  getAt,
  keepableAnswers,
  membersOf,
  mergePatch,
  requiredFields,
  setAt,
  toRaw,
  validateFields,
  visibleFields,
  withInputs,
  type Answers,
  type FieldError,
  type FormModel,
  type RawValue,
} from '../../forms/model';
import { errorText, fieldId, FormFields, inputId, type DocumentSlotProps } from '../../forms/render';
import { LOCALES, localized, t, type Locale } from '../../i18n';
import type { Application, ConsentStatement, DocumentRule } from '../../pages/application/loaded';
import { isOffline, isSignInExpired, OfflineBanner, problemText, SignInAgain, useOnline } from './common';
import { clearDraft, loadDraft, noteWork, saveDraft } from './desk_store';
import { Members, membersAnswers, membersErrors, membersRaw, memberSummary, type MemberRaw } from './members';
import { Countdown, sessionApi, sessionPath, type SessionView } from './session';

interface Loaded {
  session: SessionView;
  application: Application;
  model: FormModel;
  rules: DocumentRule[];
  consents: ConsentStatement[];
  documents: DocumentInfo[];
  programName: unknown;
}

async function load(sessionId: string, applicationId: string): Promise<Loaded> {
  const base = sessionApi(sessionId);
  const [session, application] = await Promise.all([
    api<SessionView>('GET', base, { staff: true }),
    api<Application>('GET', `${base}/applications/${encodeURIComponent(applicationId)}`, { staff: true }),
  ]);
  const [form, program, documents] = await Promise.all([
    api<{ schema: Record<string, unknown>; ui_schema: Record<string, unknown> }>('GET', `/forms/${encodeURIComponent(application.form_id)}/versions/${application.form_version}`),
    api<{ name?: unknown; documents?: DocumentRule[]; consents?: ConsentStatement[] }>('GET', `/programs/${encodeURIComponent(application.program_id)}`),
    api<unknown>('GET', `${base}/applications/${encodeURIComponent(applicationId)}/documents`, { staff: true }).then((d) => itemsOf<DocumentInfo>(d, 'documents')),
  ]);
  return {
    session,
    application,
    model: buildModel(form.schema, form.ui_schema),
    rules: program.documents ?? [],
    consents: program.consents ?? [],
    documents,
    programName: program.name ?? application.program_name,
  };
}

export function AssistedApplication({ sessionId, applicationId }: { sessionId: string; applicationId: string }) {
  const [loaded, setLoaded] = useState<Loaded>();
  const [error, setError] = useState<unknown>();
  const reload = () => load(sessionId, applicationId).then(setLoaded, setError);
  useEffect(() => void reload(), [sessionId, applicationId]);
  if (error && isSignInExpired(error))
    return (
      <Page title={t('officer.session')}>
        <h1 class="govuk-heading-l">{t('officer.session')}</h1>
        <SignInAgain />
      </Page>
    );
  if (error && error instanceof ApiError && error.code === 'assisted_session_ended')
    return (
      <Page title={t('officer.session')}>
        <h1 class="govuk-heading-l">{t('officer.session_ended')}</h1>
        <p class="govuk-body">{t('officer.session_ended_draft_kept')}</p>
        <a class="govuk-link" href="/staff/officer">
          {t('officer.desk')}
        </a>
      </Page>
    );
  if (!loaded) return <LoadState loading={!error} error={error} retry={reload} />;
  return <ApplicationForm key={loaded.application.application_id} loaded={loaded} sessionId={sessionId} />;
}

function rawOf(model: FormModel, answers: Answers): Record<string, RawValue> {
  return Object.fromEntries(model.order.filter((name) => !model.fields[name].repeat).map((name) => [name, toRaw(model.fields[name], getAt(answers, name))]));
}

/** Send a file the officer scanned or photographed for the person: declared, posted to S3, checked. */
async function uploadForPerson(base: string, kind: string, file: File, applicationId: string): Promise<DocumentInfo> {
  const declared = await api<{ document: DocumentInfo; upload: { url: string; fields: Record<string, string> } }>('POST', `${base}/documents`, {
    staff: true,
    body: { kind, file_name: file.name, content_type: contentTypeOf(file), size: file.size, application_id: applicationId },
  });
  const form = new FormData();
  for (const [name, value] of Object.entries(declared.upload.fields)) form.append(name, value);
  form.append('file', file);
  const sent = await fetch(declared.upload.url, { method: 'POST', body: form });
  if (!sent.ok) throw new Error('upload');
  const done = await api<{ document: DocumentInfo }>('POST', `${base}/documents/${encodeURIComponent(declared.document.document_id)}/complete`, { staff: true });
  if (done.document.status !== 'available') throw new Error('rejected');
  return done.document;
}

/** A document question of the form (a member's birth certificate...): uploaded for the person. */
function documentSlot(base: string, applicationId: string, onUploaded: (d: DocumentInfo) => void): FunctionComponent<DocumentSlotProps> {
  return function OfficerDocument({ field, id, value, describedBy, onChange }: DocumentSlotProps) {
    const [status, setStatus] = useState(value ? t('officer.document_attached') : '');
    return (
      <>
        <input
          class="govuk-file-upload"
          id={id}
          type="file"
          accept={field.accept.join(',')}
          aria-describedby={`${describedBy ?? ''} ${id}-status`.trim()}
          onChange={async (e) => {
            const file = (e.currentTarget as HTMLInputElement).files?.[0];
            if (!file) return;
            setStatus(t('officer.uploading'));
            try {
              const document = await uploadForPerson(base, field.documentKind ?? 'document', file, applicationId);
              onUploaded(document);
              onChange(document.document_id);
              setStatus(t('officer.uploaded', { name: file.name }));
            } catch (caught) {
              setStatus(caught instanceof ApiError ? errorMessage(caught) : t('officer.upload_failed'));
            }
          }}
        />
        <p class="govuk-body-s" id={`${id}-status`} role="status">
          {status}
        </p>
      </>
    );
  };
}

function ApplicationForm({ loaded, sessionId }: { loaded: Loaded; sessionId: string }) {
  const { model, rules, consents } = loaded;
  const online = useOnline();
  const [application, setApplication] = useState(loaded.application);
  const [restored] = useState(() => loadDraft(application.application_id));
  const [raw, setRaw] = useState<Record<string, RawValue>>(() => rawOf(model, { ...application.answers, ...(restored ?? {}) }));
  const groupNames = model.order.filter((name) => model.fields[name].repeat);
  const [groups, setGroups] = useState<Record<string, MemberRaw[]>>(() =>
    Object.fromEntries(groupNames.map((name) => [name, membersRaw(model.fields[name], membersOf({ ...application.answers, ...(restored ?? {}) }, name))])),
  );
  const [memberErrors, setMemberErrors] = useState<Record<string, Record<string, FieldError>[]>>({});
  const [documents, setDocuments] = useState(loaded.documents);
  const Document = useMemo(() => documentSlot(sessionApi(sessionId), application.application_id, (d) => setDocuments((list) => [...list, d])), [application.application_id]);
  const [errors, setErrors] = useState<Record<string, FieldError>>({});
  const [consentErrors, setConsentErrors] = useState<Set<string>>(new Set());
  const [agreed, setAgreed] = useState<Set<string>>(new Set());
  const [readIn, setReadIn] = useState<Locale>('en');
  const [problem, setProblem] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const readOnly = useMemo(() => new Set(application.read_only ?? []), [application]);
  const base = sessionApi(sessionId);
  const appPath = `${base}/applications/${encodeURIComponent(application.application_id)}`;

  const converted = useMemo(() => {
    const single = model.order.filter((name) => !model.fields[name].repeat);
    const typed = withInputs(model, single, application.answers, raw);
    let answers = typed.answers;
    const memberInvalid: Record<string, Record<string, FieldError>[]> = {};
    for (const name of groupNames) {
      const { members, invalid: wrong } = membersAnswers(model.fields[name], groups[name] ?? []);
      answers = setAt(answers, name, members.length ? members : undefined);
      memberInvalid[name] = wrong;
    }
    return { answers, invalid: typed.invalid, memberInvalid };
  }, [raw, groups, application]);
  // What differs from the portal's copy is kept after each render, and once more as the page goes
  // away (a reload or a closed tab right after a keystroke may come before the render's effect).
  const keep = useRef(() => {});
  keep.current = () => {
    if (application.status !== 'draft') return;
    const typed = keepableAnswers(model, converted.answers);
    if (JSON.stringify(typed) !== JSON.stringify(keepableAnswers(model, application.answers))) saveDraft(application.application_id, typed);
    else clearDraft(application.application_id);
  };
  useEffect(() => keep.current(), [converted]);
  useEffect(() => {
    const onHide = () => keep.current();
    addEventListener('pagehide', onHide);
    return () => removeEventListener('pagehide', onHide);
  }, []);

  const visible = visibleFields(model, converted.answers);
  const required = requiredFields(model, converted.answers);
  const messages = Object.fromEntries(model.order.map((n) => [n, errorText(model.fields[n], errors[n])]));
  const summary: ErrorItem[] = model.order
    .filter((n) => errors[n] && visible.has(n))
    .map((n) => {
      const field = model.fields[n];
      const text = field.repeat ? t('officer.members_too_few', { min: field.repeat.min, items: localized(field.repeat.itemsLabel) }) : messages[n];
      return { href: `#${field.repeat ? fieldId(field) : inputId(field)}`, text: text ?? '' };
    });
  for (const name of groupNames) summary.push(...memberSummary(model.fields[name], memberErrors[name] ?? []));
  for (const id of consentErrors) summary.push({ href: `#consent-${id}`, text: t('officer.consent_required') });

  /** Saved as a draft (only what is typed must be right) or, before submitting, complete. */
  const save = async (complete: boolean): Promise<Application | undefined> => {
    const checked = complete ? validateFields(model, converted.answers, model.order.filter((n) => visible.has(n) && !model.fields[n].repeat)) : {};
    const found = { ...checked, ...converted.invalid };
    for (const name of groupNames) {
      const repeat = model.fields[name].repeat!;
      const count = (groups[name] ?? []).length;
      if (complete && visible.has(name) && (count < repeat.min || (required.has(name) && count === 0))) found[name] = { code: 'required' };
    }
    for (const name of Object.keys(found)) if (!visible.has(name) || readOnly.has(name)) delete found[name];
    const byMember: Record<string, Record<string, FieldError>[]> = {};
    for (const name of groupNames) {
      const members = (getAt(converted.answers, name) as Answers[] | undefined) ?? [];
      const missing = complete ? membersErrors(model.fields[name], members) : members.map(() => ({}));
      byMember[name] = missing.map((wrong, i) => ({ ...wrong, ...(converted.memberInvalid[name]?.[i] ?? {}) }));
    }
    setErrors(found);
    setMemberErrors(byMember);
    setProblem(undefined);
    if (Object.keys(found).length || Object.values(byMember).some((list) => list.some((wrong) => Object.keys(wrong).length))) return undefined;
    const patch = mergePatch(model, converted.answers, application.answers);
    for (const name of readOnly) delete patch[name];
    try {
      const updated = await api<Application>('PATCH', appPath, { staff: true, body: { answers: patch, version: application.version } });
      clearDraft(application.application_id);
      setApplication(updated);
      return updated;
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 422) {
        const server: Record<string, FieldError> = {};
        for (const [pointer, code] of Object.entries(caught.fields)) {
          const name = fieldOfPointer(model, pointer);
          if (name) server[name] = { code };
        }
        setErrors(server);
        if (!Object.keys(server).length) setProblem(caught);
      } else setProblem(caught);
      return undefined;
    }
  };

  const onSave = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setSaved(Boolean(await save(false)));
    setBusy(false);
  };

  const onSubmit = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const missing = new Set(consents.filter((c) => c.required !== false && !agreed.has(c.id)).map((c) => c.id));
    setConsentErrors(missing);
    setBusy(true);
    try {
      const current = await save(true);
      if (!current || missing.size) return;
      const body = { version: current.version, consents: Object.fromEntries(consents.map((c) => [c.id, agreed.has(c.id)])), locale: readIn };
      const sent = await api<Application>('POST', `${appPath}/submit`, { staff: true, body, headers: { 'Idempotency-Key': crypto.randomUUID() } });
      setApplication(sent);
      noteWork({ kind: 'submitted', session_id: sessionId, application_id: sent.application_id, program: localized(loaded.programName), reference: sent.reference });
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 422 && caught.code === 'consent_required') {
        setConsentErrors(new Set(Object.keys(caught.fields).map((p) => p.replace(/^\/consents\//, ''))));
      } else setProblem(caught);
    } finally {
      setBusy(false);
    }
  };

  const title = localized(loaded.programName);
  if (application.status !== 'draft')
    return (
      <Page title={title}>
        <div class="govuk-panel govuk-panel--confirmation">
          <h1 class="govuk-panel__title">{t('officer.submitted')}</h1>
          <div class="govuk-panel__body">
            {t('officer.reference_is')}
            <br />
            <strong id="application-reference">{application.reference}</strong>
          </div>
        </div>
        <p class="govuk-body">{t('officer.submitted_body')}</p>
        <a class="govuk-link" href={sessionPath(sessionId)}>
          {t('officer.back_to_session')}
        </a>
      </Page>
    );

  return (
    <Page title={title} errors={summary.length > 0 || Boolean(problem)}>
      <a href={sessionPath(sessionId)} class="govuk-back-link">
        {t('officer.back_to_session')}
      </a>
      <OfflineBanner online={online} />
      <ErrorSummary errors={problem ? [{ href: '', text: problemText(problem) }, ...summary] : summary} />
      {problem && isSignInExpired(problem) ? <SignInAgain /> : null}
      {problem && (isOffline(problem) || (problem instanceof ApiError && problem.code === 'assisted_session_ended')) ? (
        <p class="govuk-inset-text" role="status">
          {t('officer.draft_kept')}
        </p>
      ) : null}
      <span class="govuk-caption-l">{t('officer.applying_for_person')}</span>
      <h1 class="govuk-heading-l">{title}</h1>
      <Countdown expiresAt={loaded.session.expires_at} />
      {restored && Object.keys(restored).length > 0 && (
        <div class="govuk-inset-text" role="status">
          {t('officer.draft_restored')}
        </div>
      )}
      {saved && (
        <div class="govuk-inset-text" role="status">
          {t('staff.saved')}
        </div>
      )}
      <form noValidate onSubmit={onSubmit} action="#">
        {model.pages.map((page) => {
          const names = page.fields.filter((n) => visible.has(n));
          if (!names.length) return null;
          // Runs of ordinary questions drawn by the renderer, a repeating group by `Members`.
          const runs: string[][] = [];
          for (const name of names) {
            const last = runs[runs.length - 1];
            if (model.fields[name].repeat || !last || model.fields[last[0]].repeat) runs.push([name]);
            else last.push(name);
          }
          return (
            <section key={page.id} class="govuk-!-margin-bottom-6">
              <h2 class="govuk-heading-m">{localized(page.title)}</h2>
              {page.description && <p class="govuk-body">{localized(page.description)}</p>}
              {runs.map((run) =>
                model.fields[run[0]].repeat ? (
                  <Members
                    key={run[0]}
                    field={model.fields[run[0]]}
                    raws={groups[run[0]] ?? []}
                    errors={memberErrors[run[0]] ?? []}
                    onChange={(next) => setGroups((current) => ({ ...current, [run[0]]: next }))}
                    Document={Document}
                  />
                ) : (
                  <FormFields
                    key={run[0]}
                    model={model}
                    names={run}
                    raw={raw}
                    errors={messages}
                    required={required}
                    readOnly={readOnly}
                    onChange={(name, value) => setRaw((current) => ({ ...current, [name]: value }))}
                    Document={Document}
                  />
                ),
              )}
            </section>
          );
        })}
        {rules.length > 0 && <Documents rules={rules} documents={documents} base={base} applicationId={application.application_id} onUploaded={(d) => setDocuments((list) => [...list, d])} />}
        {consents.length > 0 && <ConsentsReadAloud consents={consents} agreed={agreed} errors={consentErrors} readIn={readIn} onReadIn={setReadIn} onChange={setAgreed} />}
        <div class="govuk-button-group">
          <button type="submit" class="govuk-button" disabled={busy} aria-disabled={busy || undefined}>
            {t('officer.submit_for_person')}
          </button>
          <button type="button" class="govuk-button govuk-button--secondary" disabled={busy} onClick={onSave}>
            {t('staff.save_draft')}
          </button>
        </div>
      </form>
    </Page>
  );
}

function Documents({ rules, documents, base, applicationId, onUploaded }: { rules: DocumentRule[]; documents: DocumentInfo[]; base: string; applicationId: string; onUploaded: (d: DocumentInfo) => void }) {
  const [state, setState] = useState<Record<string, string>>({});
  const upload = async (rule: DocumentRule, file: File) => {
    setState((s) => ({ ...s, [rule.kind]: t('officer.uploading') }));
    try {
      const document = await uploadForPerson(base, rule.kind, file, applicationId);
      onUploaded(document);
      setState((s) => ({ ...s, [rule.kind]: t('officer.uploaded', { name: file.name }) }));
    } catch (caught) {
      setState((s) => ({ ...s, [rule.kind]: caught instanceof ApiError ? errorMessage(caught) : t('officer.upload_failed') }));
    }
  };
  return (
    <section class="govuk-!-margin-bottom-6">
      <h2 class="govuk-heading-m">{t('officer.documents')}</h2>
      {rules.map((rule) => {
        const id = `document-${rule.kind}`;
        const have = documents.filter((d) => d.kind === rule.kind && d.status === 'available');
        return (
          <div class="govuk-form-group" key={rule.kind}>
            <label class="govuk-label govuk-label--s" for={id}>
              {localized(rule.label)}
              {rule.required === false && ` ${t('common.optional')}`}
            </label>
            <div class="govuk-hint" id={`${id}-hint`}>
              {have.length ? t('officer.documents_have', { names: have.map((d) => d.file_name).join(', ') }) : t('officer.documents_hint')}
            </div>
            <input
              class="govuk-file-upload"
              id={id}
              type="file"
              accept={(rule.content_types ?? []).join(',')}
              aria-describedby={`${id}-hint ${id}-status`}
              onChange={(e) => {
                const file = (e.currentTarget as HTMLInputElement).files?.[0];
                if (file) void upload(rule, file);
              }}
            />
            <p class="govuk-body-s" id={`${id}-status`} role="status">
              {state[rule.kind] ?? ''}
            </p>
          </div>
        );
      })}
    </section>
  );
}

function ConsentsReadAloud({
  consents,
  agreed,
  errors,
  readIn,
  onReadIn,
  onChange,
}: {
  consents: ConsentStatement[];
  agreed: Set<string>;
  errors: Set<string>;
  readIn: Locale;
  onReadIn: (l: Locale) => void;
  onChange: (s: Set<string>) => void;
}) {
  const textIn = (value: unknown) => {
    const map = (value ?? {}) as Record<string, string>;
    return typeof value === 'string' ? value : (map[readIn] ?? map.en ?? '');
  };
  return (
    <fieldset class="govuk-fieldset govuk-!-margin-bottom-6" aria-describedby="consents-hint">
      <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">
        <h2 class="govuk-fieldset__heading">{t('officer.consents')}</h2>
      </legend>
      <div class="govuk-hint" id="consents-hint">
        {t('officer.consents_hint')}
      </div>
      <div class="govuk-form-group">
        <label class="govuk-label" for="consent-language">
          {t('officer.consent_language')}
        </label>
        <select class="govuk-select" id="consent-language" value={readIn} onChange={(e) => onReadIn((e.currentTarget as HTMLSelectElement).value as Locale)}>
          {(Object.keys(LOCALES) as Locale[]).map((code) => (
            <option key={code} value={code} lang={code}>
              {LOCALES[code].name}
            </option>
          ))}
        </select>
      </div>
      {consents.map((statement) => {
        const id = `consent-${statement.id}`;
        const error = errors.has(statement.id);
        return (
          <div key={statement.id} class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
            <blockquote class="govuk-inset-text" lang={readIn} dir={LOCALES[readIn].dir} id={`${id}-text`}>
              {textIn(statement.text)}
            </blockquote>
            {error && (
              <p class="govuk-error-message" id={`${id}-error`}>
                <span class="govuk-visually-hidden">{t('common.error_prefix')}</span> {t('officer.consent_required')}
              </p>
            )}
            <div class="govuk-checkboxes govuk-checkboxes--small">
              <div class="govuk-checkboxes__item">
                <input
                  class="govuk-checkboxes__input"
                  id={id}
                  type="checkbox"
                  checked={agreed.has(statement.id)}
                  aria-describedby={`${id}-text${error ? ` ${id}-error` : ''}`}
                  onChange={(e) => {
                    const next = new Set(agreed);
                    if ((e.currentTarget as HTMLInputElement).checked) next.add(statement.id);
                    else next.delete(statement.id);
                    onChange(next);
                  }}
                />
                <label class="govuk-label govuk-checkboxes__label" for={id}>
                  {t('officer.person_agrees')}
                  {statement.required === false && ` ${t('common.optional')}`}
                </label>
              </div>
            </div>
          </div>
        );
      })}
    </fieldset>
  );
}
