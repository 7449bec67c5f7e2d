/**
 * An application from start to end: the task list (one task per form page, plus the program's
 * documents), question pages saved as a draft when the person moves on, check your answers,
 * the confirmation with the reference, and afterwards the timeline, where a request for
 * information is answered in place.
 */
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError, itemsOf } from '../api/client';
import { myDocuments, reusableDocuments, reuseDocument, UploadField, type DocumentInfo } from '../components/documents';
import { BackLink, ErrorMessage, ErrorSummary, StatusTag, SummaryList, type ErrorItem } from '../components/govuk';
import { errorMessage, LoadState, NotFound, useTitle } from '../components/page';
import {
  buildModel,
  DEFAULT_ACCEPT,
  DEFAULT_MAX_BYTES,
  fieldOfPointer,
  getAt,
  keepableAnswers,
  mergePatch,
  pageStatus,
  requiredFields,
  setAt,
  toAnswer,
  toRaw,
  validateFields,
  visibleFields,
  type Answers,
  type Field,
  type FieldError,
  type FormModel,
  type RawValue,
} from '../forms/model';
import { errorText, FormFields, inputId, type DocumentSlotProps } from '../forms/render';
import { formatDate, locale, localized, readsLeftToRight, t } from '../i18n';
import { match, navigate } from '../router';

interface TimelineEntry {
  from: string | null;
  to: string;
  at: string;
  by?: { role: string; ref?: string };
  reason?: string | null;
  /** the programme's statements agreed to with this submission */
  consents?: string[];
}

export interface Application {
  application_id: string;
  program_id: string;
  program_name?: unknown;
  form_id: string;
  form_version: number;
  status: string;
  reference?: string | null;
  answers: Answers;
  read_only?: string[];
  timeline?: TimelineEntry[];
  editable?: boolean;
  submitted_at?: string | null;
  version?: number;
  /** `assisted` when an officer made or sent it with the person */
  channel?: string;
  /** the programme's statements agreed to with its submission(s) */
  consents?: { id: string }[];
}

interface DocumentRule {
  kind: string;
  label: unknown;
  required?: boolean;
  content_types?: string[];
  max_bytes?: number;
}

/** A statement the programme asks the person to agree to before sending (check your answers). */
export interface ConsentStatement {
  id: string;
  text: unknown;
  required?: boolean;
}

interface ProgramInfo {
  documents?: DocumentRule[];
  consents?: ConsentStatement[];
}

interface Loaded {
  application: Application;
  model: FormModel;
  rules: DocumentRule[];
  documents: DocumentInfo[];
  consents: ConsentStatement[];
}

const forms = new Map<string, Promise<{ schema: Record<string, unknown>; ui_schema: Record<string, unknown> }>>();
const programs = new Map<string, Promise<ProgramInfo>>();

function formOf(application: Application) {
  const key = `${application.form_id}/${application.form_version}`;
  if (!forms.has(key)) {
    const loading = api<{ schema: Record<string, unknown>; ui_schema: Record<string, unknown> }>('GET', `/forms/${encodeURIComponent(application.form_id)}/versions/${application.form_version}`);
    loading.catch(() => forms.delete(key));
    forms.set(key, loading);
  }
  return forms.get(key)!;
}

function programOf(programId: string) {
  if (!programs.has(programId)) {
    const loading = api<ProgramInfo>('GET', `/programs/${encodeURIComponent(programId)}`);
    loading.catch(() => programs.delete(programId));
    programs.set(programId, loading);
  }
  return programs.get(programId)!;
}

function useApplication(id: string) {
  const [state, setState] = useState<{ loaded?: Loaded; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    (async () => {
      const application = await api<Application>('GET', `/applications/${encodeURIComponent(id)}`);
      const [form, program, documents] = await Promise.all([
        formOf(application),
        programOf(application.program_id).catch((): ProgramInfo => ({ documents: [], consents: [] })),
        api<unknown>('GET', '/documents', { query: { application_id: id } }).then((d) => itemsOf<DocumentInfo>(d, 'documents')),
      ]);
      const model = buildModel(form.schema, form.ui_schema);
      if (live) setState({ loading: false, loaded: { application, model, rules: program.documents ?? [], documents, consents: program.consents ?? [] } });
    })().catch((error) => live && setState({ loading: false, error }));
    return () => {
      live = false;
    };
  }, [id, tick]);
  return { ...state, reload: () => setTick((n) => n + 1), update: (loaded: Loaded) => setState({ loading: false, loaded }) };
}

const DOCUMENTS_TASK = 'documents';

function documentsDone(loaded: Loaded): boolean {
  return loaded.rules.filter((r) => r.required).every((r) => loaded.documents.some((d) => d.kind === r.kind && d.status === 'available'));
}

function tasks(loaded: Loaded) {
  const { model, application } = loaded;
  const list = model.pages.map((page) => ({ id: page.id, title: localized(page.title), href: `/applications/${application.application_id}/pages/${page.id}`, status: pageStatus(model, application.answers, page) as string }));
  if (loaded.rules.length) {
    const any = loaded.documents.some((d) => loaded.rules.some((r) => r.kind === d.kind));
    list.push({ id: DOCUMENTS_TASK, title: t('timeline.documents'), href: `/applications/${application.application_id}/documents`, status: documentsDone(loaded) ? 'completed' : any ? 'incomplete' : 'not_started' });
  }
  return list;
}

function programName(application: Application): string {
  return localized(application.program_name) || application.program_id;
}

// --- routes ----------------------------------------------------------------------------------

export function ApplicationRoutes({ path, query }: { path: string; query: URLSearchParams }) {
  let params = match('/applications/:id', path);
  if (params) return <Overview id={params.id} />;
  params = match('/applications/:id/pages/:page', path);
  if (params) return <QuestionPage id={params.id} pageId={params.page} returnTo={query.get('return')} />;
  params = match('/applications/:id/documents', path);
  if (params) return <DocumentsPage id={params.id} returnTo={query.get('return')} />;
  params = match('/applications/:id/check', path);
  if (params) return <CheckAnswers id={params.id} />;
  params = match('/applications/:id/confirmation', path);
  if (params) return <Confirmation id={params.id} />;
  return <NotFound />;
}

function Overview({ id }: { id: string }) {
  const state = useApplication(id);
  const loaded = state.loaded;
  useTitle(loaded ? programName(loaded.application) : t('apply.title'));
  if (!loaded) return <LoadState loading={state.loading} error={state.error} retry={state.reload} />;
  const { application } = loaded;
  if (application.status === 'draft') return <TaskList loaded={loaded} />;
  const lastRequest = [...(application.timeline ?? [])].reverse().find((e) => e.to === 'info_requested');
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <a class="govuk-back-link" href="/applications">
          {t('common.back')}
        </a>
        <span class="govuk-caption-l">{programName(application)}</span>
        <h1 class="govuk-heading-l">{t('apply.title')}</h1>
        <SummaryList
          rows={[
            { key: t('applications.reference'), value: <span class="ssp-ltr">{application.reference ?? '–'}</span> },
            { key: t('applications.status'), value: <StatusTag status={application.status} /> },
          ]}
        />
        {officerNote(application) && (
          <div class="govuk-inset-text" id="assisted-note">
            {t(officerNote(application)!)}
          </div>
        )}
        {application.status === 'info_requested' && (
          <div class="govuk-notification-banner" role="region" aria-labelledby="rfi-title">
            <div class="govuk-notification-banner__header">
              <h2 class="govuk-notification-banner__title" id="rfi-title">
                {t('status.info_requested')}
              </h2>
            </div>
            <div class="govuk-notification-banner__content">
              <p class="govuk-notification-banner__heading">{lastRequest?.reason}</p>
              <p class="govuk-body">{t('timeline.answer_title')}</p>
            </div>
          </div>
        )}
        {application.status === 'info_requested' && <TaskItems loaded={loaded} />}
        {application.status === 'info_requested' && (
          <a class="govuk-button" href={`/applications/${application.application_id}/check`}>
            {t('apply.check')}
          </a>
        )}
        <h2 class="govuk-heading-m">{t('timeline.title')}</h2>
        <Timeline entries={application.timeline ?? []} />
        {application.status === 'submitted' && <Withdraw application={application} onDone={state.reload} />}
        {application.status !== 'info_requested' && (
          <>
            <h2 class="govuk-heading-m">{t('timeline.answers')}</h2>
            <AnswersSummary loaded={loaded} changeLinks={false} />
          </>
        )}
      </div>
    </div>
  );
}

/** The words for one step; a submission an officer made with the person says so (issue 7). */
function timelineKey(entry: TimelineEntry): string {
  if (entry.from === null) return 'timeline.event.created';
  if (entry.to === 'submitted' && entry.from === 'info_requested') return entry.by?.role === 'officer' ? 'timeline.event.information_provided_by_officer' : 'timeline.event.information_provided';
  if (entry.to === 'submitted' && entry.by?.role === 'officer') return 'timeline.event.submitted_by_officer';
  return `timeline.event.${entry.to}`;
}

/** What the page says of an officer's part: they sent it with the person (a submission step by
 * an officer), or they only started it with them (the assisted channel, sent by the person). */
export function officerNote(application: Pick<Application, 'channel' | 'timeline'>): string | null {
  if ((application.timeline ?? []).some((e) => e.to === 'submitted' && e.by?.role === 'officer')) return 'apply.submitted_by_officer';
  return application.channel === 'assisted' ? 'apply.started_by_officer' : null;
}

export function Timeline({ entries, staff = false }: { entries: TimelineEntry[]; staff?: boolean }) {
  const sorted = [...entries].sort((a, b) => (a.at < b.at ? 1 : -1));
  return (
    <ol class="ssp-timeline">
      {sorted.map((entry, index) => {
        const key = timelineKey(entry);
        const title = t(key);
        return (
          <li class="ssp-timeline__item" key={index}>
            <h3 class="ssp-timeline__title">{title === key ? t('timeline.event.other') : title}</h3>
            <p class="ssp-timeline__meta">
              {formatDate(entry.at, true)} · {staff && entry.by?.role === 'registrant' ? t('staff.applicant') : t(`timeline.by.${entry.by?.role ?? 'system'}`)}
            </p>
            {entry.reason && (
              <p class="govuk-body govuk-!-margin-top-1">
                <span class="govuk-visually-hidden">{t('timeline.reason')}: </span>
                {entry.reason}
              </p>
            )}
          </li>
        );
      })}
    </ol>
  );
}

const TASK_TAGS: Record<string, string> = { completed: '', incomplete: 'govuk-tag--light-blue', not_started: 'govuk-tag--blue' };

function TaskItems({ loaded }: { loaded: Loaded }) {
  return (
    <ul class="govuk-task-list">
      {tasks(loaded).map((task) => (
        <li class="govuk-task-list__item govuk-task-list__item--with-link" key={task.id}>
          <div class="govuk-task-list__name-and-hint">
            <a class="govuk-link govuk-task-list__link" href={task.href} aria-describedby={`task-${task.id}-status`}>
              {task.title}
            </a>
          </div>
          <div class="govuk-task-list__status" id={`task-${task.id}-status`}>
            {task.status === 'completed' ? t('apply.status.completed') : <strong class={`govuk-tag ${TASK_TAGS[task.status]}`}>{t(`apply.status.${task.status}`)}</strong>}
          </div>
        </li>
      ))}
    </ul>
  );
}

function TaskList({ loaded }: { loaded: Loaded }) {
  const list = tasks(loaded);
  const done = list.filter((task) => task.status === 'completed').length;
  const { application } = loaded;
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <span class="govuk-caption-l">{programName(application)}</span>
        <h1 class="govuk-heading-l">{t('apply.title')}</h1>
        <p class="govuk-body">{t('apply.lead')}</p>
        <p class="govuk-body govuk-!-font-weight-bold" role="status">
          {t('apply.sections', { count: done, total: list.length })}
        </p>
        <TaskItems loaded={loaded} />
        {done === list.length ? (
          <a class="govuk-button" href={`/applications/${application.application_id}/check`}>
            {t('apply.check')}
          </a>
        ) : (
          <p class="govuk-body">{t('apply.check_hint')}</p>
        )}
        <Withdraw application={application} onDone={() => navigate('/applications')} />
      </div>
    </div>
  );
}

/** Withdrawing is a deliberate second step: a warning button, then a confirmation. */
function Withdraw({ application, onDone }: { application: Application; onDone: () => void }) {
  const [asking, setAsking] = useState(false);
  const [problem, setProblem] = useState<string>();
  const withdraw = async () => {
    try {
      await api('POST', `/applications/${encodeURIComponent(application.application_id)}/withdraw`, { body: {} });
      onDone();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  return (
    <div class="govuk-!-margin-top-6">
      {problem && <p class="govuk-error-message">{problem}</p>}
      {asking ? (
        <div class="govuk-warning-text">
          <span class="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong class="govuk-warning-text__text">
            <span class="govuk-visually-hidden">{t('banner.important')}</span>
            {t('apply.withdraw_confirm')}
          </strong>
          <div class="govuk-button-group govuk-!-margin-top-4">
            <button type="button" class="govuk-button govuk-button--warning" onClick={withdraw}>
              {t('apply.withdraw')}
            </button>
            <button type="button" class="govuk-button govuk-button--secondary" onClick={() => setAsking(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" class="govuk-button govuk-button--secondary" onClick={() => setAsking(true)}>
          {t('apply.withdraw')}
        </button>
      )}
    </div>
  );
}

// --- a question page -----------------------------------------------------------------------------

const UNSAVED = 'ssp-unsaved:';

function rawOf(model: FormModel, answers: Answers, names: string[]): Record<string, RawValue> {
  return Object.fromEntries(names.map((name) => [name, toRaw(model.fields[name], getAt(answers, name))]));
}

function takeUnsaved(id: string): Answers | undefined {
  try {
    const text = sessionStorage.getItem(UNSAVED + id) ?? localStorage.getItem(UNSAVED + id);
    localStorage.removeItem(UNSAVED + id);
    sessionStorage.removeItem(UNSAVED + id);
    return text ? (JSON.parse(text) as Answers) : undefined;
  } catch {
    return undefined;
  }
}

/** Session expired while answering: keep what may be kept, then log in again and come back. */
function keepAndLogIn(id: string, model: FormModel, answers: Answers): void {
  try {
    localStorage.setItem(UNSAVED + id, JSON.stringify(keepableAnswers(model, answers)));
  } catch {
    /* storage full or blocked: the person retypes */
  }
  location.assign(`/login?expired=1&next=${encodeURIComponent(location.pathname + location.search)}`);
}

function QuestionPage({ id, pageId, returnTo }: { id: string; pageId: string; returnTo: string | null }) {
  const state = useApplication(id);
  const loaded = state.loaded;
  if (!loaded) return <LoadState loading={state.loading} error={state.error} retry={state.reload} />;
  const index = loaded.model.pages.findIndex((p) => p.id === pageId);
  if (index < 0) return <NotFound />;
  return <QuestionForm key={pageId} loaded={loaded} index={index} returnTo={returnTo} onSaved={state.update} />;
}

function QuestionForm({ loaded, index, returnTo, onSaved }: { loaded: Loaded; index: number; returnTo: string | null; onSaved: (l: Loaded) => void }) {
  const { model, application } = loaded;
  const page = model.pages[index];
  const [restored] = useState(() => takeUnsaved(application.application_id));
  const [raw, setRaw] = useState<Record<string, RawValue>>(() => rawOf(model, { ...application.answers, ...(restored ?? {}) }, page.fields));
  const [errors, setErrors] = useState<Record<string, FieldError>>({});
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const readOnly = useMemo(() => new Set(application.read_only ?? []), [application]);
  // The person's earlier documents, which each document question offers: asked for once a page.
  const earlier = useMemo(() => {
    let list: Promise<DocumentInfo[]> | undefined;
    return () => (list ??= myDocuments().catch((): DocumentInfo[] => []));
  }, []);
  // One component for the page's life: a new one per render would restart an upload in progress.
  const DocumentSlot = useMemo(
    () => (props: DocumentSlotProps) => <FormDocument {...props} applicationId={application.application_id} documents={loaded.documents} earlier={earlier} />,
    [application.application_id],
  );

  // The answers as they would be with this page's inputs, for conditions and checks.
  const converted = useMemo(() => {
    let answers = application.answers;
    const invalid: Record<string, FieldError> = {};
    for (const name of page.fields) {
      const { value, error } = toAnswer(model.fields[name], raw[name]);
      if (error) invalid[name] = error;
      answers = setAt(answers, name, error ? undefined : value);
    }
    return { answers, invalid };
  }, [raw]);
  const visible = visibleFields(model, converted.answers);
  const names = page.fields.filter((n) => visible.has(n));
  const required = requiredFields(model, converted.answers);
  const messages = Object.fromEntries(names.map((n) => [n, errorText(model.fields[n], errors[n])]));
  // The summary names each question: "Answer this question" five times would not say which.
  const summary: ErrorItem[] = names.filter((n) => errors[n]).map((n) => ({ href: `#${inputId(model.fields[n])}`, text: `${localized(model.fields[n].label)}: ${messages[n]}` }));
  if (problem) summary.unshift({ href: '', text: problem });
  useTitle(localized(page.title), summary.length > 0);

  const next = () => {
    const base = `/applications/${application.application_id}`;
    if (returnTo === 'check') return `${base}/check`;
    if (index + 1 < model.pages.length) return `${base}/pages/${model.pages[index + 1].id}`;
    if (loaded.rules.length) return `${base}/documents`;
    return `${base}/check`;
  };

  const submit = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = { ...validateFields(model, converted.answers, names), ...converted.invalid };
    for (const name of Object.keys(found)) if (!visible.has(name) || readOnly.has(name)) delete found[name];
    setErrors(found);
    setProblem(undefined);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const patch = mergePatch(model, converted.answers, application.answers);
      const saved = await api<Application>('PATCH', `/applications/${encodeURIComponent(application.application_id)}`, { body: { answers: stripReadOnly(patch, readOnly), version: application.version } });
      onSaved({ ...loaded, application: saved });
      navigate(next());
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return keepAndLogIn(application.application_id, model, converted.answers);
      if (error instanceof ApiError && error.status === 422) {
        const server: Record<string, FieldError> = {};
        for (const [pointer, code] of Object.entries(error.fields)) {
          const name = fieldOfPointer(model, pointer);
          if (name && names.includes(name)) server[name] = { code };
        }
        setErrors(server);
        if (!Object.keys(server).length) setProblem(errorMessage(error));
      } else setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const single = names.length === 1 && !page.description;
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <BackLink href={returnTo === 'check' ? `/applications/${application.application_id}/check` : `/applications/${application.application_id}`} />
        <ErrorSummary errors={summary} />
        {restored && Object.keys(restored).length > 0 && (
          <div class="govuk-inset-text" role="status">
            {t('apply.restored')}
          </div>
        )}
        <span class="govuk-caption-l">{t('apply.page_of', { n: index + 1, total: model.pages.length })}</span>
        {!single && <h1 class="govuk-heading-l">{localized(page.title)}</h1>}
        {page.description && <p class="govuk-body">{localized(page.description)}</p>}
        <form noValidate onSubmit={submit} action="#">
          <FormFields
            model={model}
            names={names}
            raw={raw}
            errors={messages}
            required={required}
            readOnly={readOnly}
            asHeading={single}
            onChange={(name, value) => setRaw((current) => ({ ...current, [name]: value }))}
            Document={DocumentSlot}
            onDocumentError={(name, code) => setErrors((e) => ({ ...e, [name]: code ? { code } : (undefined as unknown as FieldError) }))}
          />
          <button type="submit" class="govuk-button" data-module="govuk-button" disabled={busy}>
            {t('common.save_continue')}
          </button>
        </form>
      </div>
    </div>
  );
}

function stripReadOnly(patch: Answers, readOnly: Set<string>): Answers {
  let result = patch;
  for (const pointer of readOnly) if (getAt(result, pointer) !== undefined) result = setAt(result, pointer, undefined);
  return result;
}

/**
 * A document question inside a form: the answer is the document's id. Besides uploading, the
 * person can use a document they uploaded before, for this application or another one.
 */
function FormDocument(props: DocumentSlotProps & { applicationId: string; documents: DocumentInfo[]; earlier: () => Promise<DocumentInfo[]> }) {
  const field: Field = props.field;
  const [documents, setDocuments] = useState<DocumentInfo[]>(props.documents);
  const [earlier, setEarlier] = useState<DocumentInfo[]>([]);
  useEffect(() => {
    props.earlier().then(setEarlier);
  }, []);
  const current = documents.find((d) => d.document_id === props.value);
  const kind = field.documentKind ?? 'document';
  return (
    <UploadField
      id={props.id}
      label=""
      kind={kind}
      applicationId={props.applicationId}
      bare
      accept={field.accept}
      maxBytes={field.maxBytes}
      current={current}
      reusable={reusableDocuments([...documents, ...earlier], kind, field.accept, field.maxBytes, (d) => d.document_id === props.value)}
      onReuse={(document) => reuseDocument(document, props.applicationId)}
      error={undefined}
      describedBy={props.describedBy}
      onUploaded={(document) => {
        setDocuments((list) => [document, ...list.filter((d) => d.document_id !== document.document_id)]);
        props.onChange(document.document_id);
        props.onError(undefined);
      }}
      onError={(text, code) => props.onError(text ? `documents.error.${code ?? 'failed'}` : undefined)}
    />
  );
}

// --- the program's documents ---------------------------------------------------------------------

function DocumentsPage({ id, returnTo }: { id: string; returnTo: string | null }) {
  const state = useApplication(id);
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [tried, setTried] = useState(false);
  const [earlier, setEarlier] = useState<DocumentInfo[]>([]);
  // Files still being sent or checked: moving on now would send the application without them.
  const [busy, setBusy] = useState(0);
  useEffect(() => {
    myDocuments().then(setEarlier, () => setEarlier([]));
  }, [id]);
  const loaded = state.loaded;
  const summary: ErrorItem[] = loaded ? loaded.rules.filter((r) => errors[r.kind]).map((r) => ({ href: `#doc-${r.kind}`, text: errors[r.kind] as string })) : [];
  useTitle(t('timeline.documents'), summary.length > 0);
  if (!loaded) return <LoadState loading={state.loading} error={state.error} retry={state.reload} />;
  const { application } = loaded;
  const base = `/applications/${application.application_id}`;
  const proceed = () => {
    setTried(true);
    const missing: Record<string, string> = {};
    for (const rule of loaded.rules) {
      if (rule.required && !loaded.documents.some((d) => d.kind === rule.kind && d.status === 'available')) missing[rule.kind] = t('documents.error.required');
    }
    setErrors(missing);
    if (!Object.keys(missing).length) navigate(application.editable || returnTo === 'check' ? `${base}/check` : base);
  };
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <BackLink href={base} />
        <ErrorSummary errors={tried ? summary : summary.filter((s) => s.text !== t('documents.error.required'))} />
        <span class="govuk-caption-l">{programName(application)}</span>
        <h1 class="govuk-heading-l">{t('timeline.documents')}</h1>
        {loaded.rules.map((rule) => {
          const mine = loaded.documents.filter((d) => d.kind === rule.kind && d.status !== 'rejected');
          const maxBytes = rule.max_bytes ?? DEFAULT_MAX_BYTES;
          const accept = rule.content_types ?? DEFAULT_ACCEPT;
          // Documents of this kind uploaded for other applications (or none) can be used here.
          const reusable = reusableDocuments(earlier, rule.kind, accept, maxBytes, (d) => d.application_id === application.application_id);
          return (
            <UploadField
              key={rule.kind}
              id={`doc-${rule.kind}`}
              label={`${localized(rule.label)}${rule.required ? '' : ` ${t('common.optional')}`}`}
              kind={rule.kind}
              applicationId={application.application_id}
              accept={accept}
              maxBytes={maxBytes}
              current={mine[0]}
              reusable={reusable}
              onReuse={(document) => reuseDocument(document, application.application_id)}
              error={errors[rule.kind]}
              onUploaded={(document) => {
                state.update({ ...loaded, documents: [document, ...loaded.documents.filter((d) => d.document_id !== document.document_id)] });
                setErrors((e) => ({ ...e, [rule.kind]: undefined }));
              }}
              onError={(text) => setErrors((e) => ({ ...e, [rule.kind]: text }))}
              onBusy={(on) => setBusy((n) => Math.max(0, n + (on ? 1 : -1)))}
            />
          );
        })}
        <button type="button" class="govuk-button" onClick={proceed} disabled={busy > 0} aria-disabled={busy > 0 ? 'true' : undefined}>
          {t('common.continue')}
        </button>
      </div>
    </div>
  );
}

// --- check your answers, confirmation --------------------------------------------------------------

export function displayValue(field: Field, value: unknown, documents: DocumentInfo[] = []): string {
  if (value === undefined || value === null || value === '') return t('common.not_answered');
  if (field.kind === 'date') return formatDate(`${String(value)}T00:00:00`);
  if (field.kind === 'document') return documents.find((d) => d.document_id === value)?.file_name ?? String(value);
  if (field.kind === 'checkbox') return value === true ? t('common.yes') : t('common.no');
  const label = (v: unknown) => {
    const option = field.options.find((o) => o.value === v);
    return option ? localized(option.label) : String(v);
  };
  if (Array.isArray(value)) return listOf(value.map(label));
  return label(value);
}

/** Several answers (a checkbox group) as the language writes a list: "A، وB" in Arabic, not "A, B". */
function listOf(items: string[]): string {
  if (typeof Intl.ListFormat !== 'function') return items.join(', ');
  return new Intl.ListFormat(locale(), { type: 'unit', style: 'short' }).format(items);
}

/** An answer as shown: a phone number or the like isolated left to right, as in Arabic it must be. */
function bidiSafe(text: string) {
  return readsLeftToRight(text) ? <span class="ssp-ltr">{text}</span> : text;
}

function AnswersSummary({ loaded, changeLinks }: { loaded: Loaded; changeLinks: boolean }) {
  const { model, application } = loaded;
  const visible = visibleFields(model, application.answers);
  const readOnly = new Set(application.read_only ?? []);
  return (
    <>
      {model.pages.map((page) => (
        <div key={page.id}>
          <h2 class="govuk-heading-m">{localized(page.title)}</h2>
          <SummaryList
            rows={page.fields
              .filter((n) => visible.has(n))
              .map((name) => {
                const field = model.fields[name];
                const label = localized(field.label);
                return {
                  key: label,
                  value: bidiSafe(displayValue(field, getAt(application.answers, name), loaded.documents)),
                  change: changeLinks && !readOnly.has(name) ? { href: `/applications/${application.application_id}/pages/${page.id}?return=check`, hidden: label } : undefined,
                };
              })}
          />
        </div>
      ))}
      {loaded.rules.length > 0 && (
        <>
          <h2 class="govuk-heading-m">{t('timeline.documents')}</h2>
          <SummaryList
            rows={loaded.rules.map((rule) => {
              const label = localized(rule.label);
              const mine = loaded.documents.filter((d) => d.kind === rule.kind && d.status === 'available');
              return {
                key: label,
                value: mine.length ? mine.map((d) => d.file_name).join(', ') : t('common.not_answered'),
                change: changeLinks ? { href: `/applications/${application.application_id}/documents?return=check`, hidden: label } : undefined,
              };
            })}
          />
        </>
      )}
    </>
  );
}

function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function CheckAnswers({ id }: { id: string }) {
  const state = useApplication(id);
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [busy, setBusy] = useState(false);
  const [key] = useState(newIdempotencyKey);
  // Statements agreed to at an earlier submission (answering a request for information) stay agreed.
  const [agreed, setAgreed] = useState<Set<string>>(() => new Set(state.loaded ? agreedBefore(state.loaded.application) : []));
  useEffect(() => {
    const earlier = state.loaded ? agreedBefore(state.loaded.application) : [];
    if (earlier.length) setAgreed((current) => new Set([...current, ...earlier]));
  }, [state.loaded?.application.application_id]);
  const [consentErrors, setConsentErrors] = useState<Set<string>>(new Set());
  useTitle(t('check.title'), errors.length > 0);
  const loaded = state.loaded;
  if (!loaded) return <LoadState loading={state.loading} error={state.error} retry={state.reload} />;
  const { application, model } = loaded;
  if (!application.editable) {
    navigate(`/applications/${application.application_id}`, { replace: true });
    return null;
  }
  const consentItem = (id: string): ErrorItem => ({ href: `#consent-${id}`, text: t('check.consent_required') });
  const send = async () => {
    // Required statements not agreed to: said here at once (the server refuses them too).
    const missing = loaded.consents.filter((c) => c.required !== false && !agreed.has(c.id)).map((c) => c.id);
    setConsentErrors(new Set(missing));
    if (missing.length) {
      setErrors(missing.map(consentItem));
      return;
    }
    setBusy(true);
    setErrors([]);
    try {
      await api<Application>('POST', `/applications/${encodeURIComponent(application.application_id)}/submit`, {
        body: { version: application.version, ...(loaded.consents.length ? consentBody(loaded.consents, agreed) : {}) },
        headers: { 'Idempotency-Key': key },
      });
      navigate(`/applications/${application.application_id}/confirmation`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) {
        const items: ErrorItem[] = [];
        const refused = new Set<string>();
        for (const [pointer, code] of Object.entries(error.fields)) {
          if (pointer.startsWith('/consents/')) {
            const id = decodeURIComponent(pointer.slice('/consents/'.length).split('/')[0]);
            refused.add(id);
            items.push(consentItem(id));
            continue;
          }
          if (pointer.startsWith('/documents/')) {
            items.push({ href: `/applications/${application.application_id}/documents?return=check`, text: t('documents.error.required') });
            continue;
          }
          const name = fieldOfPointer(model, pointer);
          const page = name ? model.pages.find((p) => p.fields.includes(name)) : undefined;
          if (name && page) items.push({ href: `/applications/${application.application_id}/pages/${page.id}?return=check`, text: `${localized(model.fields[name].label)}: ${errorText(model.fields[name], { code })}` });
        }
        setConsentErrors(refused);
        setErrors(items.length ? items : [{ href: '', text: errorMessage(error) }]);
        // Statements this page does not show yet (added to the programme meanwhile): load them.
        if ([...refused].some((id) => !loaded.consents.some((c) => c.id === id))) {
          programs.delete(application.program_id);
          state.reload();
        }
      } else setErrors([{ href: '', text: errorMessage(error) }]);
    } finally {
      setBusy(false);
    }
  };
  const incomplete = tasks(loaded).some((task) => task.status !== 'completed');
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <BackLink href={`/applications/${application.application_id}`} />
        <ErrorSummary errors={errors} />
        <span class="govuk-caption-l">{programName(application)}</span>
        <h1 class="govuk-heading-l">{t('check.title')}</h1>
        {incomplete && <div class="govuk-inset-text">{t('check.incomplete')}</div>}
        <AnswersSummary loaded={loaded} changeLinks />
        {loaded.consents.length > 0 && (
          <Consents
            statements={loaded.consents}
            agreed={agreed}
            errors={consentErrors}
            onChange={(id, on) => {
              setAgreed((current) => {
                const next = new Set(current);
                if (on) next.add(id);
                else next.delete(id);
                return next;
              });
              if (on) setConsentErrors((current) => new Set([...current].filter((c) => c !== id)));
            }}
          />
        )}
        <h2 class="govuk-heading-m">{t('check.declaration')}</h2>
        <p class="govuk-body">{t('check.declaration_body')}</p>
        <button type="button" class="govuk-button" data-module="govuk-button" disabled={busy} onClick={send}>
          {t('check.send')}
        </button>
      </div>
    </div>
  );
}

/** The statements agreed to with an earlier submission: on the application, or named in its timeline. */
function agreedBefore(application: Application): string[] {
  return [...(application.consents ?? []).map((c) => c.id), ...(application.timeline ?? []).flatMap((e) => e.consents ?? [])];
}

/** What submit sends of the person's agreement, and the language the statements were read in. */
export function consentBody(statements: ConsentStatement[], agreed: Set<string>): Record<string, unknown> {
  return { consents: Object.fromEntries(statements.map((c) => [c.id, agreed.has(c.id)])), locale: locale() };
}

/** The programme's statements as checkboxes, each with its own error (GOV.UK single checkbox). */
export function Consents({ statements, agreed, errors, onChange }: { statements: ConsentStatement[]; agreed: Set<string>; errors: Set<string>; onChange: (id: string, agreed: boolean) => void }) {
  return (
    <fieldset class="govuk-fieldset govuk-!-margin-bottom-6" aria-describedby="consents-hint">
      <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">
        <h2 class="govuk-fieldset__heading">{t('check.consents')}</h2>
      </legend>
      <div class="govuk-hint" id="consents-hint">
        {t('check.consents_hint')}
      </div>
      {statements.map((statement) => {
        const id = `consent-${statement.id}`;
        const error = errors.has(statement.id) ? t('check.consent_required') : undefined;
        return (
          <div key={statement.id} class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
            <ErrorMessage id={`${id}-error`} text={error} />
            <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
              <div class="govuk-checkboxes__item">
                <input
                  class="govuk-checkboxes__input"
                  id={id}
                  name={id}
                  type="checkbox"
                  checked={agreed.has(statement.id)}
                  aria-describedby={error ? `${id}-error` : undefined}
                  onChange={(e) => onChange(statement.id, (e.currentTarget as HTMLInputElement).checked)}
                />
                <label class="govuk-label govuk-checkboxes__label" for={id}>
                  {localized(statement.text)}
                  {statement.required === false && <> {t('common.optional')}</>}
                </label>
              </div>
            </div>
          </div>
        );
      })}
    </fieldset>
  );
}

function Confirmation({ id }: { id: string }) {
  const state = useApplication(id);
  useTitle(t('confirm.title'));
  const loaded = state.loaded;
  if (!loaded) return <LoadState loading={state.loading} error={state.error} retry={state.reload} />;
  const { application } = loaded;
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <div class="govuk-panel govuk-panel--confirmation">
          <h1 class="govuk-panel__title">{t('confirm.title')}</h1>
          <div class="govuk-panel__body">
            {t('confirm.reference')}
            <br />
            <strong class="ssp-reference">{application.reference}</strong>
          </div>
        </div>
        <p class="govuk-body">{programName(application)}</p>
        {application.submitted_at && <p class="govuk-body">{t('confirm.submitted_on', { date: formatDate(application.submitted_at, true) })}</p>}
        <p class="govuk-body">{t('confirm.keep')}</p>
        <h2 class="govuk-heading-m">{t('confirm.next_title')}</h2>
        <p class="govuk-body">{t('confirm.next_body')}</p>
        <p class="govuk-body ssp-no-print">
          <a class="govuk-link" href={`/applications/${application.application_id}`}>
            {t('confirm.track')}
          </a>
        </p>
        <p class="govuk-body ssp-no-print">
          <button type="button" class="govuk-button govuk-button--secondary" onClick={() => window.print()}>
            {t('common.print')}
          </button>
        </p>
      </div>
    </div>
  );
}
