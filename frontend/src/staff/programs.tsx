/**
 * Programmes, for administrators: the list by state, a new programme, its page (texts, window,
 * policy, the form it uses, counts, open / close), the documents people must send, the
 * statements they agree to, and archiving after a confirmation.
 */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, itemsOf } from '../api/client';
import { useApi } from '../api/hooks';
import { BackLink, ErrorMessage, ErrorSummary, statusName, SummaryList, Table } from '../components/govuk';
import { LoadState, Page, useTitle } from '../components/page';
import { DEFAULT_ACCEPT } from '../forms/model';
import { formatNumber, localized, t } from '../i18n';
import { navigate } from '../router';
import { LocaleTexts, SelectField, TextField } from './fields';
import { ShowMore, usePaged } from './paging';
import { messageFor, problemsOf, summaryOf, type Problem } from './problems';
import { PROGRAM_STATES, stateName, StateTabs, StateTag } from './states';
import { SuccessBanner } from './success_banner';
import { cleanTexts, textsOf, type Texts } from './texts';
import { staffUser } from './signin';
import { canOpen, dayOf, missingForOpening, momentOf } from './setup/tasks';
import { DateField } from './setup/details';

export interface DocumentRule {
  kind: string;
  label: Record<string, string>;
  required?: boolean;
  content_types?: string[];
  max_bytes?: number;
}

/** A statement a person agrees to when applying (ticked on "check your answers"). */
export interface ConsentStatement {
  id: string;
  text: Record<string, string>;
  required?: boolean;
}

export interface AdminProgram {
  program_id: string;
  name: unknown;
  description?: unknown;
  eligibility?: unknown;
  benefit?: unknown;
  decision_days?: number | null;
  opens_at?: string | null;
  closes_at?: string | null;
  policy?: { kind?: string; cooldown_days?: number };
  documents?: DocumentRule[];
  consents?: ConsentStatement[];
  state: string;
  version?: number;
  form_id?: string | null;
  form_version?: number | null;
}

const programPath = (id: string) => `/admin/programs/${encodeURIComponent(id)}`;

/**
 * Programmes in the given states, every page of each (staff lists are small; a reviewer limited
 * to some programmes may get pages with fewer items than asked for).
 */
export function usePrograms(states: string[]): { list: AdminProgram[]; loading: boolean; error?: unknown; reload: () => void } {
  const [state, setState] = useState<{ list: AdminProgram[]; loading: boolean; error?: unknown }>({ list: [], loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    const load = async (programState: string): Promise<AdminProgram[]> => {
      const found: AdminProgram[] = [];
      let cursor: string | undefined;
      do {
        const page = await api<{ next_cursor?: string | null }>('GET', '/admin/programs', { staff: true, query: { state: programState, limit: 100, cursor }, signal: controller.signal });
        found.push(...itemsOf<AdminProgram>(page));
        cursor = page?.next_cursor ?? undefined;
      } while (cursor && found.length < 1000);
      return found;
    };
    setState((s) => ({ ...s, loading: true }));
    Promise.all(states.map(load)).then(
      (lists) => {
        // A programme that just changed state may briefly be listed under both (the index follows the table).
        const seen = new Set<string>();
        setState({ list: lists.flat().filter((p) => !seen.has(p.program_id) && Boolean(seen.add(p.program_id))), loading: false });
      },
      (error) => {
        if ((error as Error).name !== 'AbortError') setState({ list: [], loading: false, error });
      },
    );
    return () => controller.abort();
  }, [states.join(), tick]);
  return { ...state, reload: () => setTick((n) => n + 1) };
}

export function ProgramsAdmin({ query }: { query: URLSearchParams }) {
  const state = PROGRAM_STATES.includes(query.get('status') ?? '') ? (query.get('status') as string) : 'open';
  const programs = usePaged<AdminProgram>('/admin/programs', { state });
  const list = programs.items;
  return (
    <Page title={t('staff.programs')} wide>
      <BackLink href="/staff" />
      <h1 class="govuk-heading-l">{t('staff.programs')}</h1>
      <a href="/staff/programs/new" role="button" draggable={false} class="govuk-button" data-module="govuk-button">
        {t('staff.new_program')}
      </a>
      <StateTabs base="/staff/programs" current={state} states={PROGRAM_STATES} name={stateName} />
      <LoadState loading={programs.loading} error={programs.error} retry={programs.reload} />
      {programs.loaded && list.length === 0 && <p class="govuk-body">{t('staff.no_programs')}</p>}
      {list.length > 0 && (
        <Table caption={stateName(state)} headers={[t('staff.program_name'), t('staff.identifier'), t('staff.form')]}>
          {list.map((p) => (
            <tr class="govuk-table__row" key={p.program_id}>
              <td class="govuk-table__cell">
                <a class="govuk-link" href={`/staff/programs/${p.program_id}`}>
                  {localized(p.name) || p.program_id}
                </a>
              </td>
              <td class="govuk-table__cell ssp-ltr">{p.program_id}</td>
              <td class="govuk-table__cell">{p.form_id ? <span class="ssp-ltr">{t('staff.form_version', { form: p.form_id, version: p.form_version ?? '' })}</span> : t('common.none')}</td>
            </tr>
          ))}
        </Table>
      )}
      <ShowMore more={programs.more} />
    </Page>
  );
}

export function NewProgram() {
  const [programId, setProgramId] = useState('');
  const [name, setName] = useState<Texts>(textsOf({}));
  const [problems, setProblems] = useState<Problem[]>([]);
  const create = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: Problem[] = [];
    if (programId.trim() && !/^[a-z0-9][a-z0-9-]{1,35}$/.test(programId.trim())) found.push({ id: 'program-id', text: t('staff.error.program_id') });
    if (!name.en.trim()) found.push({ id: 'program-name-en', text: t('staff.error.name_en') });
    setProblems(found);
    if (found.length) return;
    try {
      const created = await api<AdminProgram>('POST', '/admin/programs', { staff: true, body: { ...(programId.trim() ? { program_id: programId.trim() } : {}), name: cleanTexts(name) } });
      navigate(`/staff/programs/${created.program_id}`);
    } catch (error) {
      setProblems(problemsOf(error, (pointer) => (pointer === '/program_id' ? 'program-id' : pointer.startsWith('/name/') ? `program-name-${pointer.split('/')[2]}` : undefined), 'program-name-en'));
    }
  };
  return (
    <Page title={t('staff.new_program')} errors={problems.length > 0}>
      <BackLink href="/staff/programs" />
      <ErrorSummary errors={summaryOf(problems)} />
      <h1 class="govuk-heading-l">{t('staff.new_program')}</h1>
      <p class="govuk-body">{t('staff.new_program_lead')}</p>
      <form onSubmit={create} noValidate action="#">
        <LocaleTexts id="program-name" legend={t('staff.program_name')} hint={t('staff.name_hint')} texts={name} onChange={setName} problems={problems} />
        <TextField id="program-id" label={t('staff.identifier_optional')} hint={t('staff.program_id_hint')} width="20" ltr value={programId} onInput={setProgramId} problems={problems} />
        <button class="govuk-button" type="submit">
          {t('staff.new_program')}
        </button>
      </form>
    </Page>
  );
}

const SAVED_NOTICES: Record<string, string> = { documents: 'staff.documents_saved', consents: 'staff.consents_saved', archived: 'staff.archived' };

export function ProgramAdmin({ id, query }: { id: string; query: URLSearchParams }) {
  const program = useApi<AdminProgram>(programPath(id), { staff: true });
  const counts = useApi<{ counts: Record<string, number> }>(`${programPath(id)}/counts`, { staff: true });
  const [problems, setProblems] = useState<Problem[]>([]);
  const [notice, setNotice] = useState<string | undefined>(SAVED_NOTICES[query.get('done') ?? ''] ? t(SAVED_NOTICES[query.get('done') as string]) : undefined);
  const data = program.data;
  useTitle(data ? localized(data.name) : t('staff.programs'), problems.length > 0);
  if (!data) return <LoadState loading={program.loading} error={program.error} retry={program.reload} />;
  const act = async (action: 'open' | 'close') => {
    setProblems([]);
    setNotice(undefined);
    try {
      await api('POST', `${programPath(id)}/${action}`, { staff: true });
      setNotice(t(action === 'open' ? 'staff.opened' : 'staff.closed'));
      program.reload();
    } catch (error) {
      setProblems(problemsOf(error, () => undefined, ''));
    }
  };
  const reviewer = staffUser()?.roles.includes('reviewer');
  const documents = data.documents ?? [];
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <BackLink href={`/staff/programs?status=${data.state}`} />
        <ErrorSummary errors={summaryOf(problems)} />
        {notice && <SuccessBanner text={notice} role="status" />}
        <span class="govuk-caption-l">{t('staff.program')}</span>
        <h1 class="govuk-heading-l">{localized(data.name) || data.program_id}</h1>
        {data.state !== 'archived' && (
          <p class="govuk-body">
            <a class="govuk-link govuk-!-font-weight-bold" id="setup-link" href={`/staff/programs/${encodeURIComponent(id)}/setup`}>
              {t('staff.setup.link')}
            </a>
            {data.state === 'draft' || data.state === 'closed' ? (missingForOpening(data).length ? ` – ${t('staff.setup.status.in_progress')}` : ` – ${t('staff.setup.status.completed')}`) : ''}
          </p>
        )}
        <SummaryList
          rows={[
            { key: t('staff.identifier'), value: <span class="ssp-ltr">{data.program_id}</span> },
            { key: t('staff.program_state'), value: <StateTag state={data.state} /> },
            {
              key: t('staff.map_form'),
              value: data.form_id ? (
                <a class="govuk-link ssp-ltr" href={`/staff/forms/${encodeURIComponent(data.form_id)}/versions/${data.form_version}`}>
                  {t('staff.form_version', { form: data.form_id, version: data.form_version ?? '' })}
                </a>
              ) : (
                t('staff.no_form')
              ),
              change: data.state === 'archived' ? undefined : { href: `/staff/programs/${encodeURIComponent(id)}/setup/form`, hidden: t('staff.map_form') },
            },
            {
              key: t('staff.documents'),
              value: documents.length ? (
                <ul class="govuk-list">
                  {documents.map((d) => (
                    <li key={d.kind}>
                      {localized(d.label)} {d.required === false ? t('common.optional') : ''}
                    </li>
                  ))}
                </ul>
              ) : (
                t('staff.no_documents')
              ),
              change: data.state === 'archived' ? undefined : { href: `/staff/programs/${encodeURIComponent(id)}/documents`, hidden: t('staff.documents') },
            },
            {
              key: t('staff.consents'),
              value: (data.consents ?? []).length ? (
                <ul class="govuk-list">
                  {(data.consents ?? []).map((c) => (
                    <li key={c.id}>
                      {localized(c.text)} {c.required === false ? t('common.optional') : ''}
                    </li>
                  ))}
                </ul>
              ) : (
                t('staff.no_consents')
              ),
              change: data.state === 'archived' ? undefined : { href: `/staff/programs/${encodeURIComponent(id)}/consents`, hidden: t('staff.consents') },
            },
            {
              key: t('staff.templates.link'),
              value: <a class="govuk-link" href={`/staff/programs/${encodeURIComponent(id)}/templates`}>{t('staff.templates.title')}</a>,
            },
          ]}
        />
        {counts.data && (
          <>
            <h2 class="govuk-heading-m">{t('staff.counts_title')}</h2>
            <SummaryList rows={Object.entries(counts.data.counts).map(([status, n]) => ({ key: statusName(status), value: formatNumber(n) }))} />
          </>
        )}
        <div class="govuk-button-group">
          {canOpen(data) && (
            <button type="button" class="govuk-button" onClick={() => act('open')}>
              {t('staff.open')}
            </button>
          )}
          {data.state === 'open' && (
            <button type="button" class="govuk-button govuk-button--warning" onClick={() => act('close')}>
              {t('staff.close')}
            </button>
          )}
          {(data.state === 'draft' || data.state === 'closed') && (
            <a href={`/staff/programs/${encodeURIComponent(id)}/archive`} role="button" draggable={false} class="govuk-button govuk-button--secondary" data-module="govuk-button">
              {t('staff.archive')}
            </a>
          )}
          {reviewer && (
            <a class="govuk-link" href={`/staff/review?program=${encodeURIComponent(id)}`}>
              {t('staff.queue')}
            </a>
          )}
        </div>
        {data.state !== 'archived' && (
          <ProgramDetails
            program={data}
            problems={problems}
            onProblems={setProblems}
            onSaved={() => {
              setNotice(t('staff.saved'));
              program.reload();
            }}
          />
        )}
      </div>
    </div>
  );
}

/** Where a field error of the programme's PATCH belongs on the page. */
function detailsFieldId(pointer: string): string | undefined {
  const [, key, code] = pointer.split('/');
  if (['name', 'description', 'eligibility'].includes(key)) return `program-${key}-${code ?? 'en'}`;
  if (key === 'opens_at' || key === 'closes_at') return `program-${key}`;
  if (key === 'policy') return code === 'cooldown_days' ? 'program-cooldown' : 'program-policy';
  return undefined;
}

/** Edit a programme's texts (per language), application window and policy. */
function ProgramDetails({ program, problems, onProblems, onSaved }: { program: AdminProgram; problems: Problem[]; onProblems: (p: Problem[]) => void; onSaved: () => void }) {
  const [texts, setTexts] = useState({ name: textsOf(program.name), description: textsOf(program.description), eligibility: textsOf(program.eligibility) });
  const [window_, setWindow] = useState({ opens_at: dayOf(program.opens_at), closes_at: dayOf(program.closes_at) });
  const [policy, setPolicy] = useState({ kind: program.policy?.kind ?? 'one_active', cooldown_days: String(program.policy?.cooldown_days ?? 0) });
  const save = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: Problem[] = [];
    if (!texts.name.en.trim()) found.push({ id: 'program-name-en', text: t('staff.error.name_en') });
    if (policy.kind === 'repeat' && !/^\d{1,4}$/.test(policy.cooldown_days.trim())) found.push({ id: 'program-cooldown', text: t('staff.error.cooldown_days') });
    const opens = momentOf(window_.opens_at, 'start');
    const closes = momentOf(window_.closes_at, 'end');
    if (opens === undefined) found.push({ id: 'program-opens_at', text: t('staff.setup.error.day') });
    if (closes === undefined) found.push({ id: 'program-closes_at', text: t('staff.setup.error.day') });
    onProblems(found);
    if (found.length) return;
    try {
      await api('PATCH', programPath(program.program_id), {
        staff: true,
        body: {
          name: cleanTexts(texts.name),
          ...(Object.keys(cleanTexts(texts.description)).length ? { description: cleanTexts(texts.description) } : {}),
          ...(Object.keys(cleanTexts(texts.eligibility)).length ? { eligibility: cleanTexts(texts.eligibility) } : {}),
          opens_at: opens,
          closes_at: closes,
          policy: { kind: policy.kind, ...(policy.kind === 'repeat' ? { cooldown_days: Number(policy.cooldown_days) || 0 } : {}) },
          version: program.version,
        },
      });
      onProblems([]);
      onSaved();
    } catch (error) {
      onProblems(problemsOf(error, detailsFieldId, 'program-name-en'));
    }
  };
  return (
    <form onSubmit={save} noValidate action="#">
      <h2 class="govuk-heading-m">{t('staff.edit')}</h2>
      <LocaleTexts id="program-name" legend={t('staff.program_name')} texts={texts.name} onChange={(name) => setTexts({ ...texts, name })} problems={problems} />
      <LocaleTexts id="program-description" legend={t('staff.program_description')} rows={3} texts={texts.description} onChange={(description) => setTexts({ ...texts, description })} problems={problems} />
      <LocaleTexts id="program-eligibility" legend={t('program.eligibility')} rows={3} texts={texts.eligibility} onChange={(eligibility) => setTexts({ ...texts, eligibility })} problems={problems} />
      {(['opens_at', 'closes_at'] as const).map((key) => (
        <DateField key={key} id={`program-${key}`} label={t(`staff.setup.field.${key}`)} hint={t(`staff.setup.field.${key}_hint`)} value={window_[key]} onChange={(value) => setWindow({ ...window_, [key]: value })} problems={problems} />
      ))}
      <SelectField
        id="program-policy"
        label={t('staff.policy')}
        value={policy.kind}
        onChange={(kind) => setPolicy({ ...policy, kind })}
        options={['once', 'one_active', 'repeat'].map((kind) => [kind, t(`staff.policy.${kind}`)])}
        problems={problems}
      />
      {policy.kind === 'repeat' && (
        <TextField id="program-cooldown" label={t('staff.cooldown_days')} width="4" inputMode="numeric" value={policy.cooldown_days} onInput={(value) => setPolicy({ ...policy, cooldown_days: value })} problems={problems} />
      )}
      <button type="submit" class="govuk-button govuk-button--secondary">
        {t('staff.save')}
      </button>
    </form>
  );
}

// --- a programme's lists (required documents, consent statements) -------------------------------------

/**
 * What differs between the editors of a programme's lists: the programme's field they save (also
 * the `?done=` notice after saving), the ids of their elements, their texts (message keys), the
 * drafts being edited and each item's own fields.
 */
interface ListKind<D extends { key: number }> {
  field: 'documents' | 'consents';
  /** Each item's fieldset is titled `${idPrefix}-${i}-title`. */
  idPrefix: string;
  /** Where an error of the API that names no item goes (the first item's first field). */
  firstId: string;
  addId: string;
  max?: number;
  texts: { title: string; heading: string; lead: string; none: string; item: string; remove: string; add: string; addAnother: string };
  drafts: (program: AdminProgram) => D[];
  blank: () => D;
  check: (drafts: D[]) => Problem[];
  fieldId: (pointer: string) => string | undefined;
  saved: (drafts: D[]) => unknown[];
  fields: (draft: D, i: number, update: (change: Partial<D>) => void, problems: Problem[]) => ComponentChildren;
}

/** One of a programme's lists, edited once the programme is loaded. */
function ProgramListPage<D extends { key: number }>({ id, kind }: { id: string; kind: ListKind<D> }) {
  const program = useApi<AdminProgram>(programPath(id), { staff: true });
  if (!program.data) return <LoadState loading={program.loading} error={program.error} retry={program.reload} />;
  return <ProgramListEditor program={program.data} kind={kind} />;
}

/**
 * A programme's list, one fieldset per item with "remove", then "add" and "save": the whole list is
 * saved with the programme's version, and the programme's page says so.
 */
function ProgramListEditor<D extends { key: number }>({ program, kind }: { program: AdminProgram; kind: ListKind<D> }) {
  const [drafts, setDrafts] = useState<D[]>(() => kind.drafts(program));
  const [problems, setProblems] = useState<Problem[]>([]);
  const name = localized(program.name) || program.program_id;
  const update = (index: number, change: Partial<D>) => setDrafts(drafts.map((d, i) => (i === index ? { ...d, ...change } : d)));
  const save = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = kind.check(drafts);
    setProblems(found);
    if (found.length) return;
    try {
      await api('PATCH', programPath(program.program_id), { staff: true, body: { [kind.field]: kind.saved(drafts), version: program.version } });
      const fromSetup = new URLSearchParams(location.search).get('from') === 'setup';
      navigate(`/staff/programs/${encodeURIComponent(program.program_id)}${fromSetup ? '/setup' : ''}?done=${kind.field}`);
    } catch (error) {
      setProblems(problemsOf(error, kind.fieldId, drafts.length ? kind.firstId : kind.addId));
    }
  };
  const texts = kind.texts;
  return (
    <Page title={t(texts.title, { name })} errors={problems.length > 0}>
      <BackLink href={`/staff/programs/${encodeURIComponent(program.program_id)}${new URLSearchParams(location.search).get('from') === 'setup' ? '/setup' : ''}`} />
      <ErrorSummary errors={summaryOf(problems)} />
      <span class="govuk-caption-l">{name}</span>
      <h1 class="govuk-heading-l">{t(texts.heading)}</h1>
      <p class="govuk-body">{t(texts.lead)}</p>
      <form onSubmit={save} noValidate action="#">
        {drafts.length === 0 && <p class="govuk-body">{t(texts.none)}</p>}
        {drafts.map((draft, i) => (
          <fieldset class="govuk-fieldset govuk-!-margin-bottom-6" key={draft.key} aria-labelledby={`${kind.idPrefix}-${i}-title`}>
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">
              <h2 class="govuk-fieldset__heading" id={`${kind.idPrefix}-${i}-title`}>
                {t(texts.item, { n: i + 1 })}
              </h2>
            </legend>
            {kind.fields(draft, i, (change) => update(i, change), problems)}
            <button type="button" class="govuk-button govuk-button--warning" onClick={() => setDrafts(drafts.filter((_, n) => n !== i))}>
              {t(texts.remove, { n: i + 1 })}
            </button>
          </fieldset>
        ))}
        {(kind.max === undefined || drafts.length < kind.max) && (
          <div class="govuk-button-group">
            <button type="button" id={kind.addId} class="govuk-button govuk-button--secondary" onClick={() => setDrafts([...drafts, kind.blank()])}>
              {t(drafts.length ? texts.addAnother : texts.add)}
            </button>
          </div>
        )}
        <button type="submit" class="govuk-button">
          {t('staff.save')}
        </button>
      </form>
    </Page>
  );
}

/** One GOV.UK checkbox with its label. */
function CheckboxItem({ id, label, checked, onChange, value }: { id: string; label: string; checked: boolean; onChange: (checked: boolean) => void; value?: string }) {
  return (
    <div class="govuk-checkboxes__item">
      <input class="govuk-checkboxes__input" id={id} type="checkbox" value={value} checked={checked} onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)} />
      <label class="govuk-label govuk-checkboxes__label" for={id}>
        {label}
      </label>
    </div>
  );
}

/** Whether an item of a list must be given (a document sent, a statement agreed to). */
function RequiredCheckbox(props: { id: string; label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <div class="govuk-form-group">
      <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
        <CheckboxItem {...props} />
      </div>
    </div>
  );
}

// --- required documents ----------------------------------------------------------------------------

/** The types the API accepts for a programme document, by their usual names. */
const DOCUMENT_TYPES: [string, string][] = [
  ['application/pdf', 'PDF'],
  ['image/jpeg', 'JPEG'],
  ['image/png', 'PNG'],
  ['image/webp', 'WebP'],
  ['image/heic', 'HEIC'],
];
const MB = 1024 * 1024;

/** The sizes the server allows (GET /admin/document-limits): a rule may never allow more than the
 * portal's own cap, which the programme's page states. */
export interface DocumentLimits {
  max_bytes: number;
  default_max_bytes: number;
}

/** Bytes as the MB an administrator types (rounded down to a tenth: never above what was given). */
const megabytes = (bytes: number) => String(Math.floor((bytes / MB) * 10) / 10);
const KIND = /^[a-z0-9][a-z0-9_-]{0,62}$/;

interface RuleDraft {
  key: number;
  kind: string;
  label: Texts;
  required: boolean;
  types: string[];
  maxMb: string;
}

let nextKey = 0;

function draftOf(limits: DocumentLimits, rule?: DocumentRule): RuleDraft {
  nextKey += 1;
  return {
    key: nextKey,
    kind: rule?.kind ?? '',
    label: textsOf(rule?.label),
    required: rule?.required ?? true,
    types: rule?.content_types ?? DEFAULT_ACCEPT,
    maxMb: megabytes(rule?.max_bytes ?? limits.default_max_bytes),
  };
}

function ruleFieldId(pointer: string): string | undefined {
  const [, , index, key, code] = pointer.split('/');
  if (index === undefined) return undefined;
  if (key === 'label') return `doc-${index}-label-${code ?? 'en'}`;
  if (key === 'content_types') return `doc-${index}-types-0`;
  if (key === 'max_bytes') return `doc-${index}-max`;
  return `doc-${index}-kind`;
}

function checkRules(rules: RuleDraft[], limits: DocumentLimits): Problem[] {
  const max = megabytes(limits.max_bytes);
  const found: Problem[] = [];
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    const kind = rule.kind.trim();
    if (!kind) found.push({ id: `doc-${i}-kind`, text: t('staff.error.kind_required', { n: i + 1 }) });
    else if (!KIND.test(kind)) found.push({ id: `doc-${i}-kind`, text: t('staff.error.kind_format', { n: i + 1 }) });
    else if (seen.has(kind)) found.push({ id: `doc-${i}-kind`, text: t('staff.error.kind_duplicate', { n: i + 1 }) });
    seen.add(kind);
    if (!rule.label.en.trim()) found.push({ id: `doc-${i}-label-en`, text: t('staff.error.label_en', { n: i + 1 }) });
    if (!rule.types.length) found.push({ id: `doc-${i}-types-0`, text: t('staff.error.types', { n: i + 1 }) });
    const mb = Number(rule.maxMb.replace(',', '.'));
    if (!rule.maxMb.trim() || !Number.isFinite(mb) || mb <= 0 || Math.round(mb * MB) > limits.max_bytes) found.push({ id: `doc-${i}-max`, text: t('staff.error.max_size', { n: i + 1, max }) });
  });
  return found;
}

const documentsKind = (limits: DocumentLimits): ListKind<RuleDraft> => ({
  field: 'documents',
  idPrefix: 'doc',
  firstId: 'doc-0-kind',
  addId: 'add-document',
  texts: {
    title: 'staff.documents_title',
    heading: 'staff.documents',
    lead: 'staff.documents_lead',
    none: 'staff.no_documents',
    item: 'staff.document_n',
    remove: 'staff.remove_document',
    add: 'staff.add_document',
    addAnother: 'staff.add_another_document',
  },
  drafts: (program) => (program.documents ?? []).map((rule) => draftOf(limits, rule)),
  blank: () => draftOf(limits),
  check: (rules) => checkRules(rules, limits),
  fieldId: ruleFieldId,
  saved: (rules) =>
    rules.map((r) => ({
      kind: r.kind.trim(),
      label: cleanTexts(r.label),
      required: r.required,
      content_types: DOCUMENT_TYPES.map(([type]) => type).filter((type) => r.types.includes(type)),
      max_bytes: Math.round(Number(r.maxMb.replace(',', '.')) * MB),
    })),
  fields: (rule, i, update, problems) => {
    const typesError = messageFor(problems, `doc-${i}-types-0`);
    return (
      <>
        <TextField id={`doc-${i}-kind`} label={t('staff.document_kind')} hint={t('staff.document_kind_hint')} width="20" ltr value={rule.kind} onInput={(kind) => update({ kind })} problems={problems} />
        <LocaleTexts id={`doc-${i}-label`} legend={t('staff.document_label')} hint={t('staff.document_label_hint')} texts={rule.label} onChange={(label) => update({ label })} problems={problems} />
        <RequiredCheckbox id={`doc-${i}-required`} label={t('staff.document_required')} checked={rule.required} onChange={(required) => update({ required })} />
        <div class={`govuk-form-group${typesError ? ' govuk-form-group--error' : ''}`}>
          <fieldset class="govuk-fieldset" aria-describedby={typesError ? `doc-${i}-types-error` : undefined}>
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{t('staff.document_types')}</legend>
            <ErrorMessage id={`doc-${i}-types-error`} text={typesError} />
            <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
              {DOCUMENT_TYPES.map(([type, label], n) => (
                <CheckboxItem
                  key={type}
                  id={`doc-${i}-types-${n}`}
                  value={type}
                  label={label}
                  checked={rule.types.includes(type)}
                  onChange={(checked) => update({ types: checked ? [...rule.types, type] : rule.types.filter((x) => x !== type) })}
                />
              ))}
            </div>
          </fieldset>
        </div>
        <TextField id={`doc-${i}-max`} label={t('staff.document_max')} hint={t('staff.document_max_hint', { max: megabytes(limits.max_bytes) })} width="4" inputMode="text" value={rule.maxMb} onInput={(maxMb) => update({ maxMb })} problems={problems} />
      </>
    );
  },
});

/** A programme's documents, with the server's limits read alongside the programme. */
export function ProgramDocuments({ id }: { id: string }) {
  const program = useApi<AdminProgram>(programPath(id), { staff: true });
  const limits = useApi<DocumentLimits>('/admin/document-limits', { staff: true });
  const kind = useMemo(() => limits.data && documentsKind(limits.data), [limits.data]);
  if (!program.data || !kind) {
    const failed = program.error ?? limits.error;
    return <LoadState loading={!failed} error={failed} retry={program.error ? program.reload : limits.reload} />;
  }
  return <ProgramListEditor program={program.data} kind={kind} />;
}

// --- consent statements ------------------------------------------------------------------------------

const CONSENT_ID = /^[a-z][a-z0-9_]{0,63}$/;
const MAX_CONSENTS = 10;
const MAX_CONSENT_TEXT = 2000;

interface StatementDraft {
  key: number;
  id: string;
  text: Texts;
  required: boolean;
}

function statementOf(statement?: ConsentStatement): StatementDraft {
  nextKey += 1;
  return { key: nextKey, id: statement?.id ?? '', text: textsOf(statement?.text), required: statement?.required ?? true };
}

function consentFieldId(pointer: string): string | undefined {
  const [, , index, key, code] = pointer.split('/');
  if (index === undefined) return undefined;
  if (key === 'text') return `consent-${index}-text-${code ?? 'en'}`;
  if (key === 'required') return `consent-${index}-required`;
  return `consent-${index}-id`;
}

function checkStatements(statements: StatementDraft[]): Problem[] {
  const found: Problem[] = [];
  const seen = new Set<string>();
  statements.forEach((statement, i) => {
    const id = statement.id.trim();
    if (!id) found.push({ id: `consent-${i}-id`, text: t('staff.error.consent_id_required', { n: i + 1 }) });
    else if (!CONSENT_ID.test(id)) found.push({ id: `consent-${i}-id`, text: t('staff.error.consent_id_format', { n: i + 1 }) });
    else if (seen.has(id)) found.push({ id: `consent-${i}-id`, text: t('staff.error.consent_id_duplicate', { n: i + 1 }) });
    seen.add(id);
    if (!statement.text.en.trim()) found.push({ id: `consent-${i}-text-en`, text: t('staff.error.consent_text_en', { n: i + 1 }) });
    for (const [code, text] of Object.entries(statement.text)) {
      if (text.length > MAX_CONSENT_TEXT) found.push({ id: `consent-${i}-text-${code}`, text: t('staff.error.consent_text_long', { n: i + 1, max: MAX_CONSENT_TEXT }) });
    }
  });
  return found;
}

const CONSENTS: ListKind<StatementDraft> = {
  field: 'consents',
  idPrefix: 'consent',
  firstId: 'consent-0-id',
  addId: 'add-consent',
  max: MAX_CONSENTS,
  texts: {
    title: 'staff.consents_title',
    heading: 'staff.consents',
    lead: 'staff.consents_lead',
    none: 'staff.no_consents',
    item: 'staff.consent_n',
    remove: 'staff.remove_consent',
    add: 'staff.add_consent',
    addAnother: 'staff.add_another_consent',
  },
  drafts: (program) => (program.consents ?? []).map(statementOf),
  blank: () => statementOf(),
  check: checkStatements,
  fieldId: consentFieldId,
  saved: (statements) => statements.map((s) => ({ id: s.id.trim(), text: cleanTexts(s.text), required: s.required })),
  fields: (statement, i, update, problems) => (
    <>
      <TextField id={`consent-${i}-id`} label={t('staff.identifier')} hint={t('staff.consent_id_hint')} width="20" ltr value={statement.id} onInput={(value) => update({ id: value })} problems={problems} />
      <LocaleTexts id={`consent-${i}-text`} legend={t('staff.consent_text')} hint={t('staff.consent_text_hint')} rows={3} texts={statement.text} onChange={(text) => update({ text })} problems={problems} />
      <RequiredCheckbox id={`consent-${i}-required`} label={t('staff.consent_required')} checked={statement.required} onChange={(required) => update({ required })} />
    </>
  ),
};

export function ProgramConsents({ id }: { id: string }) {
  return <ProgramListPage id={id} kind={CONSENTS} />;
}

// --- archiving --------------------------------------------------------------------------------------

export function ArchiveProgram({ id }: { id: string }) {
  const program = useApi<AdminProgram>(programPath(id), { staff: true });
  const [problems, setProblems] = useState<Problem[]>([]);
  const data = program.data;
  const name = data ? localized(data.name) || data.program_id : '';
  useTitle(t('staff.archive_title', { name }), problems.length > 0);
  if (!data) return <LoadState loading={program.loading} error={program.error} retry={program.reload} />;
  const archive = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    try {
      await api('POST', `${programPath(id)}/archive`, { staff: true });
      navigate(`/staff/programs/${encodeURIComponent(id)}?done=archived`);
    } catch (error) {
      setProblems(problemsOf(error, () => undefined, ''));
    }
  };
  const back = `/staff/programs/${encodeURIComponent(id)}`;
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <BackLink href={back} />
        <ErrorSummary errors={summaryOf(problems)} />
        <span class="govuk-caption-l">{name}</span>
        <h1 class="govuk-heading-l">{t('staff.archive_title', { name })}</h1>
        {data.state === 'draft' || data.state === 'closed' ? (
          <form onSubmit={archive} noValidate action="#">
            <div class="govuk-warning-text">
              <span class="govuk-warning-text__icon" aria-hidden="true">
                !
              </span>
              <strong class="govuk-warning-text__text">
                <span class="govuk-visually-hidden">{t('staff.warning')}</span>
                {t('staff.archive_warning')}
              </strong>
            </div>
            <p class="govuk-body">{t('staff.archive_lead')}</p>
            <div class="govuk-button-group">
              <button type="submit" class="govuk-button govuk-button--warning">
                {t('staff.archive_confirm')}
              </button>
              <a class="govuk-link" href={back}>
                {t('common.cancel')}
              </a>
            </div>
          </form>
        ) : (
          <>
            <p class="govuk-body">{data.state === 'archived' ? t('staff.already_archived') : t('staff.close_before_archiving')}</p>
            <a class="govuk-link" href={back}>
              {t('common.back')}
            </a>
          </>
        )}
      </div>
    </div>
  );
}
