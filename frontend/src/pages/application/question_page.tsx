/**
 * A question page of the application's form, saved as a draft when the person moves on ("Saving…"
 * meanwhile). What they typed survives a reload and a lost connection (kept on the device as
 * they type, offline/drafts.ts: a save without a connection waits there and is sent when it
 * returns, and the page says so) and a session that expired meanwhile.
 */
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../../api/client';
import { myDocuments, type DocumentInfo } from '../../components/documents';
import { BackLink, ErrorSummary, type ErrorItem } from '../../components/govuk';
import { errorMessage, LoadState, NotFound, useTitle } from '../../components/page';
import { fieldOfPointer, getAt, membersOf, mergePatch, requiredFields, setAt, statementsAmong, toRaw, validateFields, visibleFields, withInputs, type Answers, type FieldError, type FormModel, type RawValue } from '../../forms/model';
import { errorText, FormFields, inputId, type DocumentSlotProps } from '../../forms/render';
import { localized, t } from '../../i18n';
import { navigate } from '../../router';
import { FormDocument } from './form_document';
import { GroupList } from './group_pages';
import { inHand, useApplication, type Application, type Loaded } from './loaded';
import { keepAndLogIn, takeUnsaved } from './unsaved';
import { ConflictNotice, leaveIfSent } from './sent';
import { sectionCount } from './task_list';
import { setOfflineNote } from '../../offline';
import { applyPatch, composePatches, dropPage, keepPage, pendingSave, queueSave, sent } from '../../offline/drafts';

const KEEP_AFTER_MS = 300;

function rawOf(model: FormModel, answers: Answers, names: string[]): Record<string, RawValue> {
  return Object.fromEntries(names.map((name) => [name, toRaw(model.fields[name], getAt(answers, name))]));
}

export function QuestionPage({ id, pageId, returnTo }: { id: string; pageId: string; returnTo: string | null }) {
  // A repeating group's list, come back to from a member's page: the application in hand is current.
  const held = inHand(id);
  const state = useApplication(id, { reuse: Boolean(held?.model.fields[held.model.pages.find((p) => p.id === pageId)?.fields[0] ?? '']?.repeat) });
  const loaded = state.loaded;
  if (!loaded) return <LoadState loading={state.loading} error={state.error} retry={state.reload} />;
  if (leaveIfSent(loaded)) return null; // Back after sending: its status page, not an editable page
  const index = loaded.model.pages.findIndex((p) => p.id === pageId);
  if (index < 0) return <NotFound />;
  const group = loaded.model.fields[loaded.model.pages[index].fields[0]];
  if (group?.repeat) {
    // "Add to a list": nobody added yet and the form needs someone, so ask about the first one at once.
    if (!membersOf(loaded.application.answers, group.name).length && group.repeat.min > 0) {
      navigate(`/applications/${loaded.application.application_id}/pages/${pageId}/members/0`, { replace: true });
      return null;
    }
    return <GroupList loaded={loaded} pageId={pageId} next={nextHref(loaded, index, returnTo)} />;
  }
  return <QuestionForm key={pageId} loaded={loaded} index={index} returnTo={returnTo} onSaved={state.update} />;
}

function QuestionForm({ loaded, index, returnTo, onSaved }: { loaded: Loaded; index: number; returnTo: string | null; onSaved: (l: Loaded) => void }) {
  const { model, application } = loaded;
  const page = model.pages[index];
  const [restored] = useState(() => takeUnsaved(application.application_id));
  // Typed here before a reload or a lost connection, and not saved on the server yet.
  const [kept] = useState(() => loaded.kept?.[page.id] as Record<string, RawValue> | undefined);
  const [raw, setRaw] = useState<Record<string, RawValue>>(() => ({ ...rawOf(model, { ...application.answers, ...(restored ?? {}) }, page.fields), ...(restored ? {} : (kept ?? {})) }));
  const typed = useRef(false);
  useEffect(() => {
    if (!typed.current) return;
    const id = window.setTimeout(() => void keepPage(application.application_id, page.id, raw).catch(() => undefined), KEEP_AFTER_MS);
    return () => window.clearTimeout(id);
  }, [raw]);
  const [errors, setErrors] = useState<Record<string, FieldError>>({});
  const [problem, setProblem] = useState<string>();
  const [conflict, setConflict] = useState(false);
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
  const converted = useMemo(() => withInputs(model, page.fields, application.answers, raw), [raw]);
  const visible = visibleFields(model, converted.answers);
  const names = page.fields.filter((n) => visible.has(n));
  const required = requiredFields(model, converted.answers);
  const messages = Object.fromEntries(names.map((n) => [n, errorText(model.fields[n], errors[n])]));
  // The summary names each question: "Answer this question" five times would not say which.
  const summary: ErrorItem[] = names.filter((n) => errors[n]).map((n) => ({ href: `#${inputId(model.fields[n])}`, text: messages[n] as string }));
  if (problem) summary.unshift({ href: '', text: problem });
  useTitle(localized(page.title), summary.length > 0);

  const next = () => nextHref(loaded, index, returnTo);

  const submit = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = { ...validateFields(model, converted.answers, names), ...converted.invalid };
    for (const name of Object.keys(found)) if (!visible.has(name) || readOnly.has(name)) delete found[name];
    setErrors(found);
    setProblem(undefined);
    if (Object.keys(found).length) return;
    setBusy(true);
    const id = application.application_id;
    const patch = stripReadOnly(mergePatch(model, converted.answers, application.answers), readOnly);
    try {
      // Saves kept on this device for lack of a connection go with this one.
      const waiting = await pendingSave(id).catch(() => undefined);
      const saved = await api<Application>('PATCH', `/applications/${encodeURIComponent(id)}`, { body: { answers: waiting ? composePatches(waiting.patch, patch) : patch, version: application.version } });
      if (waiting) await sent(id, waiting).catch(() => undefined);
      await dropPage(id, page.id).catch(() => undefined);
      onSaved({ ...loaded, application: saved, kept: withoutPage(loaded.kept, page.id), waiting: false });
      navigate(next());
    } catch (error) {
      if (error instanceof ApiError && error.status === 0) {
        // No connection: kept on this phone, sent when it comes back; the person goes on.
        await keepPage(id, page.id, raw).catch(() => undefined);
        await queueSave(id, page.id, patch, application.version);
        onSaved({ ...loaded, application: { ...application, answers: applyPatch(application.answers, patch) }, kept: { ...(loaded.kept ?? {}), [page.id]: raw }, waiting: true });
        setOfflineNote('kept');
        navigate(next());
        return;
      }
      if (error instanceof ApiError && error.status === 401) return keepAndLogIn(application.application_id, model, converted.answers);
      // Sent meanwhile (another tab): its status page says so; else changed meanwhile: say it may have been them.
      if (error instanceof ApiError && error.status === 409 && error.code === 'application_not_editable') return onSaved({ ...loaded, application: { ...application, editable: false } });
      if (error instanceof ApiError && error.status === 409) return setConflict(true);
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

  const statements = statementsAmong(model, page, names);
  const single = names.length === 1 && !page.description && Object.keys(statements).length === 0;
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <BackLink href={returnTo === 'check' ? `/applications/${application.application_id}/check` : `/applications/${application.application_id}`} />
        <ErrorSummary errors={summary} />
        {conflict && <ConflictNotice loaded={loaded} onReloaded={(fresh) => (setConflict(false), onSaved(fresh))} />}
        {restored && Object.keys(restored).length > 0 && (
          <div class="govuk-inset-text" role="status">
            {t('apply.restored')}
          </div>
        )}
        {!restored && kept && Object.keys(kept).length > 0 && (
          <div class="govuk-inset-text" role="status" id="kept-note">
            {t('offline.restored')}
          </div>
        )}
        <span class="govuk-caption-l">{t('apply.page_of', { n: index + 1, total: sectionCount(loaded) })}</span>
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
            statements={statements}
            onChange={(name, value) => {
              typed.current = true;
              setRaw((current) => ({ ...current, [name]: value }));
            }}
            Document={DocumentSlot}
            onDocumentError={(name, code) => setErrors((e) => ({ ...e, [name]: code ? { code } : (undefined as unknown as FieldError) }))}
          />
          <button type="submit" class="govuk-button" data-module="govuk-button" disabled={busy} aria-disabled={busy}>
            {busy ? t('common.saving') : t('common.save_continue')}
          </button>
        </form>
      </div>
    </div>
  );
}

/** Where "Save and continue" leads from the page at ``index``. */
function nextHref(loaded: Loaded, index: number, returnTo: string | null): string {
  const { model, application } = loaded;
  const base = `/applications/${application.application_id}`;
  if (returnTo === 'check') return `${base}/check`;
  if (index + 1 < model.pages.length) return `${base}/pages/${model.pages[index + 1].id}`;
  if (loaded.rules.length) return `${base}/documents`;
  return `${base}/check`;
}

function withoutPage<T>(kept: Record<string, T> | undefined, page: string): Record<string, T> {
  return Object.fromEntries(Object.entries(kept ?? {}).filter(([name]) => name !== page));
}

function stripReadOnly(patch: Answers, readOnly: Set<string>): Answers {
  let result = patch;
  for (const pointer of readOnly) if (getAt(result, pointer) !== undefined) result = setAt(result, pointer, undefined);
  return result;
}
