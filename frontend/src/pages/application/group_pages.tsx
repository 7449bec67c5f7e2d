/**
 * A repeating group (each child, each member of the household) in GOV.UK's "add to a list"
 * pattern: a question page per member, the list of those added with Change and Remove, "Do you
 * need to add another?", a confirmation before removing. The application is already loaded:
 * moving between members reads nothing; saving one member is the page's one PATCH.
 */
import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { api, ApiError } from '../../api/client';
import { BackLink, ErrorMessage, ErrorSummary, type ErrorItem } from '../../components/govuk';
import { errorMessage, LoadState, NotFound, useTitle } from '../../components/page';
import { fieldOfPointer, getAt, membersOf, requiredFields, setAt, toRaw, validateFields, visibleFields, withInputs, type Answers, type Field, type FieldError, type RawValue } from '../../forms/model';
import { errorText, FormFields, inputId, type DocumentSlotProps } from '../../forms/render';
import { localized, t } from '../../i18n';
import { navigate } from '../../router';
import type { DocumentInfo } from '../../components/documents';
import { FormDocument } from './form_document';
import { useApplication, type Application, type Loaded } from './loaded';
import { leaveIfSent } from './sent';
import { sectionCount } from './task_list';

/** The group on a page (a group is alone on its page), with the page's place in the form. */
/** Yes and No side by side, GOV.UK's way: the first radio's id is the name, so an error links to it. */
function YesNo({ name, value, onChange }: { name: string; value: string | undefined; onChange: (value: string) => void }) {
  return (
    <div class="govuk-radios govuk-radios--inline" data-module="govuk-radios">
      {['yes', 'no'].map((option, i) => (
        <div class="govuk-radios__item" key={option}>
          <input class="govuk-radios__input" id={i ? `${name}-${option}` : name} name={name} type="radio" value={option} checked={value === option} onChange={() => onChange(option)} />
          <label class="govuk-label govuk-radios__label" for={i ? `${name}-${option}` : name}>
            {t(`common.${option}`)}
          </label>
        </div>
      ))}
    </div>
  );
}

function groupOn(loaded: Loaded, pageId: string) {
  const index = loaded.model.pages.findIndex((p) => p.id === pageId);
  const field = index >= 0 ? loaded.model.fields[loaded.model.pages[index].fields[0]] : undefined;
  return field?.repeat ? { index, field, repeat: field.repeat } : undefined;
}

/** How a member is named in lists and headings: their summary answer, else "Child 2". */
export function memberLabel(field: Field, member: Answers, position: number): string {
  const named = member[field.repeat?.summaryField ?? ''];
  return typeof named === 'string' && named.trim() ? named : `${localized(field.repeat?.itemLabel)} ${position + 1}`;
}

function pageHref(application: Application, pageId: string, rest = ''): string {
  return `/applications/${application.application_id}/pages/${pageId}${rest}`;
}

async function saveMembers(loaded: Loaded, name: string, members: Answers[]): Promise<Application> {
  const { application } = loaded;
  return api<Application>('PATCH', `/applications/${encodeURIComponent(application.application_id)}`, { body: { answers: setAt({}, name, members), version: application.version } });
}

/** The list of members added so far, and whether to add another. */
export function GroupList({ loaded, pageId, next }: { loaded: Loaded; pageId: string; next: string }) {
  const found = groupOn(loaded, pageId)!;
  const { field, repeat } = found;
  const members = membersOf(loaded.application.answers, field.name);
  const [another, setAnother] = useState('');
  const [error, setError] = useState<string>();
  useTitle(localized(field.label), Boolean(error));
  const full = members.length >= repeat.max;
  const item = localized(repeat.itemLabel);
  const memberProblems = Object.keys(validateFields(loaded.model, loaded.application.answers, [field.name])).length > 0;
  const submit = (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!full && another === 'yes') return navigate(pageHref(loaded.application, pageId, `/members/${members.length}`));
    if (!full && another !== 'no') return setError(t('group.error.choose', { item }));
    if (members.length < repeat.min) return setError(t('group.error.too_few', { min: repeat.min, item }));
    if (memberProblems) return setError(t('group.error.incomplete'));
    navigate(next);
  };
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <BackLink href={`/applications/${loaded.application.application_id}`} />
        <ErrorSummary errors={error ? [{ href: full ? '' : '#another', text: error }] : []} />
        <span class="govuk-caption-l">{t('apply.page_of', { n: found.index + 1, total: sectionCount(loaded) })}</span>
        <h1 class="govuk-heading-l">{localized(field.label)}</h1>
        <p class="govuk-body" role="status">
          {t('group.added', { count: members.length, item, items: localized(repeat.itemsLabel) })}
        </p>
        {members.length > 0 && (
          <dl class="govuk-summary-list govuk-summary-list--long-key">
            {members.map((member, position) => {
              const label = memberLabel(field, member, position);
              return (
                <div class="govuk-summary-list__row" key={position}>
                  <dt class="govuk-summary-list__key govuk-!-font-weight-regular">{label}</dt>
                  <dd class="govuk-summary-list__actions">
                    <ul class="govuk-summary-list__actions-list">
                      <li class="govuk-summary-list__actions-list-item">
                        <a class="govuk-link" href={pageHref(loaded.application, pageId, `/members/${position}`)}>
                          {t('common.change')}
                          <span class="govuk-visually-hidden"> {label}</span>
                        </a>
                      </li>
                      <li class="govuk-summary-list__actions-list-item">
                        <a class="govuk-link" href={pageHref(loaded.application, pageId, `/members/${position}/remove`)}>
                          {t('group.remove')}
                          <span class="govuk-visually-hidden"> {label}</span>
                        </a>
                      </li>
                    </ul>
                  </dd>
                </div>
              );
            })}
          </dl>
        )}
        <p class="govuk-body">{full ? t('group.full', { max: repeat.max, item }) : members.length >= repeat.min ? t('group.limits_max', { max: repeat.max, item }) : t('group.limits', { min: repeat.min, max: repeat.max, item })}</p>
        <form noValidate onSubmit={submit} action="#">
          {!full && (
            <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
              <fieldset class="govuk-fieldset" aria-describedby={error ? 'another-error' : undefined}>
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">{members.length ? t('group.another', { item }) : t('group.first', { item })}</legend>
                <ErrorMessage id="another-error" text={error} />
                <YesNo name="another" value={another} onChange={setAnother} />
              </fieldset>
            </div>
          )}
          <button type="submit" class="govuk-button" data-module="govuk-button">
            {t('common.continue')}
          </button>
        </form>
      </div>
    </div>
  );
}

/** The questions about one member: a new one (the next position) or one already added. */
export function MemberPage({ id, pageId, position, returnTo }: { id: string; pageId: string; position: number; returnTo?: string | null }) {
  const state = useApplication(id, { reuse: true });
  const loaded = state.loaded;
  if (!loaded) return <LoadState loading={state.loading} error={state.error} retry={state.reload} />;
  if (leaveIfSent(loaded)) return null;
  const found = groupOn(loaded, pageId);
  const count = found ? membersOf(loaded.application.answers, found.field.name).length : 0;
  if (!found || !Number.isInteger(position) || position < 0 || position > count || position >= found.repeat.max) return <NotFound />;
  return <MemberForm key={`${pageId}/${position}`} loaded={loaded} pageId={pageId} position={position} returnTo={returnTo} onSaved={state.update} />;
}

function MemberForm({ loaded, pageId, position, returnTo, onSaved }: { loaded: Loaded; pageId: string; position: number; returnTo?: string | null; onSaved: (l: Loaded) => void }) {
  const { field, repeat } = groupOn(loaded, pageId)!;
  const model = repeat.model;
  const members = membersOf(loaded.application.answers, field.name);
  const member = members[position] ?? {};
  const [raw, setRaw] = useState<Record<string, RawValue>>(() => Object.fromEntries(model.order.map((n) => [n, toRaw(model.fields[n], getAt(member, n))])));
  const [errors, setErrors] = useState<Record<string, FieldError>>({});
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const application = loaded.application;
  // Documents uploaded on this page join the application in hand (its list is not read again).
  const added = useMemo<DocumentInfo[]>(() => [], []);
  const DocumentSlot = useMemo(
    () => (props: DocumentSlotProps) => (
      <FormDocument {...props} applicationId={application.application_id} documents={loaded.documents} earlier={async () => []} onDocument={(d) => added.push(d)} />
    ),
    [application.application_id],
  );
  const converted = useMemo(() => withInputs(model, model.order, member, raw), [raw]);
  const visible = visibleFields(model, converted.answers);
  const names = model.order.filter((n) => visible.has(n));
  const messages = Object.fromEntries(names.map((n) => [n, errorText(model.fields[n], errors[n])]));
  const summary: ErrorItem[] = names.filter((n) => errors[n]).map((n) => ({ href: `#${inputId(model.fields[n])}`, text: messages[n] as string }));
  if (problem) summary.unshift({ href: '', text: problem });
  const heading = position < members.length ? memberLabel(field, member, position) : t('group.new', { item: localized(repeat.itemLabel), n: position + 1 });
  useTitle(heading, summary.length > 0);
  // With nobody added yet the list page would send the person straight back here.
  const check = `/applications/${application.application_id}/check`;
  const back = returnTo === 'check' ? check : members.length ? pageHref(application, pageId) : `/applications/${application.application_id}`;

  const submit = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = { ...validateFields(model, converted.answers, names), ...converted.invalid };
    setErrors(found);
    setProblem(undefined);
    if (Object.keys(found).length) return;
    setBusy(true);
    // Answers to questions not asked of this member (a condition) are not kept.
    const kept = Object.fromEntries(Object.entries(converted.answers).filter(([key]) => visible.has(`/${key}`)));
    const list = [...members];
    list[position] = kept;
    try {
      const saved = await saveMembers(loaded, field.name, list);
      onSaved({ ...loaded, application: saved, documents: [...added, ...loaded.documents.filter((d) => !added.some((a) => a.document_id === d.document_id))] });
      navigate(returnTo === 'check' ? check : pageHref(application, pageId));
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) {
        const server: Record<string, FieldError> = {};
        const prefix = `/answers${field.name}/${position}`;
        for (const [pointer, code] of Object.entries(error.fields)) {
          const name = pointer.startsWith(`${prefix}/`) ? fieldOfPointer(model, pointer.slice(prefix.length)) : undefined;
          if (name) server[name] = { code };
        }
        setErrors(server);
        if (!Object.keys(server).length) setProblem(errorMessage(error));
      } else setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <BackLink href={back} />
        <ErrorSummary errors={summary} />
        <span class="govuk-caption-l">{localized(field.label)}</span>
        <h1 class="govuk-heading-l">{heading}</h1>
        <form noValidate onSubmit={submit} action="#">
          <FormFields
            model={model}
            names={names}
            raw={raw}
            errors={messages}
            required={requiredFields(model, converted.answers)}
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

/** "Are you sure you want to remove Amina?": their document stays with the person's documents. */
export function RemoveMember({ id, pageId, position }: { id: string; pageId: string; position: number }) {
  const state = useApplication(id, { reuse: true });
  const [choice, setChoice] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const loaded = state.loaded;
  const found = loaded ? groupOn(loaded, pageId) : undefined;
  const members = loaded && found ? membersOf(loaded.application.answers, found.field.name) : [];
  const label = found && members[position] ? memberLabel(found.field, members[position], position) : '';
  useTitle(t('group.remove_title', { name: label }), Boolean(error));
  if (!loaded) return <LoadState loading={state.loading} error={state.error} retry={state.reload} />;
  if (leaveIfSent(loaded)) return null;
  if (!found || !members[position]) return <NotFound />;
  const back = pageHref(loaded.application, pageId);
  const hasDocument = found.repeat.model.order.some((n) => found.repeat.model.fields[n].kind === 'document' && members[position][n.slice(1)]);
  const submit = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!choice) return setError(t('group.error.choose_remove', { name: label }));
    if (choice === 'no') return navigate(back);
    setBusy(true);
    try {
      const saved = await saveMembers(loaded, found.field.name, members.filter((_, i) => i !== position));
      state.update({ ...loaded, application: saved });
      navigate(back);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <BackLink href={back} />
        <ErrorSummary errors={error ? [{ href: '#remove', text: error }] : []} />
        <form noValidate onSubmit={submit} action="#">
          <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
            <fieldset class="govuk-fieldset" aria-describedby={[hasDocument ? 'remove-hint' : '', error ? 'remove-error' : ''].filter(Boolean).join(' ') || undefined}>
              <legend class="govuk-fieldset__legend govuk-fieldset__legend--l">
                <h1 class="govuk-fieldset__heading">{t('group.remove_title', { name: label })}</h1>
              </legend>
              {hasDocument && (
                <div class="govuk-hint" id="remove-hint">
                  {t('group.remove_document')}
                </div>
              )}
              <ErrorMessage id="remove-error" text={error} />
              <YesNo name="remove" value={choice} onChange={setChoice} />
            </fieldset>
          </div>
          <button type="submit" class="govuk-button" data-module="govuk-button" disabled={busy}>
            {t('common.continue')}
          </button>
        </form>
      </div>
    </div>
  );
}
