/**
 * The form builder (staff console, admin role): a form's pages and their questions, edited in
 * words in every language, with the form as a person will see it beside them. Changes are saved
 * by themselves (the draft's revision as If-Match, so another administrator's save is never
 * overwritten unseen), the last change can be undone, and publishing first lists what is
 * missing and what changed since the published version. JSON stays as an import and export.
 */
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../../api/client';
import { BackLink, ErrorSummary } from '../../components/govuk';
import { useTitle } from '../../components/page';
import { colon, formatDate, localized, t } from '../../i18n';
import { navigate } from '../../router';
import { StateTag } from '../states';
import { SuccessBanner } from '../success_banner';
import { Bank } from './bank';
import { SideBySide, SmallButton } from './controls';
import {
  allNames,
  changesBetween,
  freshPageId,
  fromDefinition,
  gaps,
  moveQuestion,
  movePage,
  newQuestion,
  onlyACheck,
  QUESTION_TYPES,
  removeQuestion,
  replacePage,
  replaceQuestion,
  toDefinition,
  type BuilderForm,
  type Changes,
  type Definition,
  type Gap,
  type Question,
} from './model';
import { Preview } from './preview';
import { AddQuestion, QuestionEditor, questionTitle, typeName } from './question';
import { BUILDER_LOCALES } from './controls';

export interface StoredVersion {
  form_id: string;
  version: number;
  status: string;
  revision?: number;
  title: unknown;
  schema: Record<string, any>;
  ui_schema: Record<string, any>;
  prefill?: Record<string, any> | null;
  published_at?: string | null;
}

const formPath = (id: string) => `/admin/forms/${encodeURIComponent(id)}`;
const AUTOSAVE_MS = 1500;
const HISTORY = 50;

type SaveState = { kind: 'saved'; at: Date } | { kind: 'saving' } | { kind: 'waiting' } | { kind: 'incomplete'; count: number } | { kind: 'failed'; text: string } | { kind: 'stale' } | { kind: 'idle' };

/** Where the builder's selection is: a page's question, and inside a household, one member question. */
interface Selection {
  page: number;
  question: string;
  member?: string;
}

/** Problems that stop the server from keeping the draft at all (a missing or doubtful translation does not). */
function blocking(found: Gap[]): Gap[] {
  return found.filter((g) => g.kind !== 'missing_translation' && !onlyACheck(g));
}

export function Builder({ stored, reload, initialNotice, back }: { stored: StoredVersion; reload: () => void; initialNotice?: string; back?: string }) {
  const initial = useMemo(() => fromDefinition({ title: stored.title as any, schema: stored.schema, ui_schema: stored.ui_schema, prefill: stored.prefill ?? {} }), [stored]);
  const [form, setForm] = useState<BuilderForm>(initial);
  const [history, setHistory] = useState<{ form: BuilderForm; key: string; at: number }[]>([]);
  const [selected, setSelected] = useState<Selection | undefined>();
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [notice, setNotice] = useState<string | undefined>(initialNotice);
  const [problems, setProblems] = useState<{ href: string; text: string }[]>([]);
  const [published, setPublished] = useState<{ version: number; form: BuilderForm }>();
  const revision = useRef<number | undefined>(stored.revision);
  const dirty = useRef(false);
  const draft = stored.status === 'draft';
  const definition = useMemo(() => toDefinition(form), [form]);
  const found = useMemo(() => gaps(form, BUILDER_LOCALES), [form]);
  const name = localized(form.title) || stored.form_id;
  useTitle(`${name} – ${t('builder.title')}`, problems.length > 0);

  /** Every edit goes through here: kept for undo (typing in one field is one change), then saved by itself. */
  const change = (next: BuilderForm, key = 'structure') => {
    const now = Date.now();
    setHistory((h) => {
      const last = h[h.length - 1];
      if (last && key !== 'structure' && last.key === key && now - last.at < 2000) return [...h.slice(0, -1), { ...last, at: now }];
      return [...h.slice(-HISTORY + 1), { form, key, at: now }];
    });
    dirty.current = true;
    setForm(next);
  };
  const undo = () => {
    const last = history[history.length - 1];
    if (!last) return;
    setHistory(history.slice(0, -1));
    dirty.current = true;
    setForm(last.form);
    setNotice(t('builder.undone'));
  };

  // The published version this draft started from, for "what changed".
  useEffect(() => {
    if (!draft) return;
    api<{ versions: { version: number; status: string }[] }>('GET', formPath(stored.form_id), { staff: true })
      .then(async ({ versions }) => {
        const latest = versions.find((v) => v.status === 'published' && v.version < stored.version);
        if (!latest) return;
        const version = await api<StoredVersion>('GET', `${formPath(stored.form_id)}/versions/${latest.version}`, { staff: true });
        setPublished({ version: latest.version, form: fromDefinition({ title: version.title as any, schema: version.schema, ui_schema: version.ui_schema, prefill: version.prefill ?? {} }) });
      })
      .catch(() => undefined);
  }, [stored.form_id, stored.version]);

  const put = async (): Promise<boolean> => {
    setSave({ kind: 'saving' });
    try {
      const saved = await api<StoredVersion>('PUT', `${formPath(stored.form_id)}/versions/${stored.version}`, {
        staff: true,
        body: definition,
        headers: revision.current !== undefined ? { 'If-Match': `"${revision.current}"` } : {},
      });
      revision.current = saved.revision;
      dirty.current = false;
      setSave({ kind: 'saved', at: new Date() });
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'stale_version') setSave({ kind: 'stale' });
      else if (error instanceof ApiError && Object.keys(error.fields).length) {
        setSave({ kind: 'failed', text: Object.entries(error.fields).map(([pointer, code]) => `${pointer}: ${code}`).join('; ') });
      } else setSave({ kind: 'failed', text: error instanceof Error ? error.message : String(error) });
      return false;
    }
  };

  // Autosave: a moment after the last change, when the draft is one the server can keep.
  useEffect(() => {
    if (!draft || !dirty.current) return;
    const stopping = blocking(found);
    if (stopping.length) {
      setSave({ kind: 'incomplete', count: stopping.length });
      return;
    }
    setSave({ kind: 'waiting' });
    const timer = setTimeout(() => void put(), AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [form]);

  /** Go to a problem's place: open its question (and member), then focus the field. */
  const goTo = (gap: Gap) => (event: JSX.TargetedMouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    if (gap.question) {
      const [question, member] = gap.question.split('.');
      setSelected({ page: gap.page, question, member });
    }
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        const target = document.getElementById(gap.target) ?? document.getElementById(gap.target.replace(/-[a-z]{2}$/, '-en'));
        const closed = target?.closest('details');
        if (closed) closed.open = true;
        target?.focus();
        target?.scrollIntoView({ block: 'center' });
      }),
    );
  };

  const publish = async () => {
    setProblems([]);
    const stopping = found.filter((g) => !onlyACheck(g));
    if (stopping.length) {
      setProblems(stopping.map((g) => ({ href: `#${g.target}`, text: gapText(g, form) })));
      return;
    }
    if (!(await put())) return;
    try {
      await api('POST', `${formPath(stored.form_id)}/versions/${stored.version}/publish`, { staff: true });
      navigate(`/staff/forms/${encodeURIComponent(stored.form_id)}/versions/${stored.version}?done=published${back ? `&back=${encodeURIComponent(back)}` : ''}`);
      reload();
    } catch (error) {
      setProblems([{ href: '', text: error instanceof Error ? error.message : String(error) }]);
    }
  };

  const newVersion = async () => {
    try {
      const created = await api<{ version: number }>('POST', `${formPath(stored.form_id)}/versions`, { staff: true, body: {} });
      navigate(`/staff/forms/${encodeURIComponent(stored.form_id)}/versions/${created.version}?done=version${back ? `&back=${encodeURIComponent(back)}` : ''}`);
    } catch (error) {
      setProblems([{ href: '', text: error instanceof Error ? error.message : String(error) }]);
    }
  };

  const focusLater = (id: string) => requestAnimationFrame(() => requestAnimationFrame(() => document.getElementById(id)?.focus()));

  return (
    <div>
      <BackLink href={back ?? `/staff/forms?form=${encodeURIComponent(stored.form_id)}`} />
      <ErrorSummary errors={problems} />
      {notice && <SuccessBanner text={notice} role="status" />}
      <span class="govuk-caption-l">
        <bdi dir="ltr">{stored.form_id}</bdi>
      </span>
      <h1 class="govuk-heading-l">
        {name} <span class="govuk-caption-m">{t('staff.version_n', { n: stored.version })}</span>
      </h1>
      <p class="govuk-body">
        <StateTag state={stored.status} />{' '}
        <a class="govuk-link" href={`/staff/forms/${encodeURIComponent(stored.form_id)}/versions/${stored.version}?view=json`}>
          {t('builder.json_view')}
        </a>
      </p>
      {!draft && (
        <>
          <p class="govuk-body">{t('staff.published_lead', { date: formatDate(stored.published_at, true) })}</p>
          <button type="button" id="new-version" class="govuk-button" onClick={newVersion}>
            {t('staff.new_version')}
          </button>
          <Preview definition={definition} />
        </>
      )}
      {draft && (
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-one-half">
            <div class="govuk-button-group">
              <button type="button" id="undo" class="govuk-button govuk-button--secondary" aria-disabled={history.length ? undefined : 'true'} style={history.length ? undefined : { opacity: 0.5 }} onClick={undo}>
                {t('builder.undo')}
              </button>
              <button type="button" id="save-now" class="govuk-button govuk-button--secondary" onClick={() => void put()}>
                {t('builder.save_now')}
              </button>
            </div>
            <p class="govuk-body-s" role="status" id="save-state">
              {saveText(save)}
              {save.kind === 'stale' && (
                <>
                  {' '}
                  <a class="govuk-link" href={location.pathname} onClick={() => reload()}>
                    {t('builder.reload')}
                  </a>
                </>
              )}
            </p>
            <SideBySide id="form-title" legend={t('builder.form_title')} texts={form.title} onChange={(title) => change({ ...form, title }, 'form-title')} />
            {form.pages.map((page, pageIndex) => (
              <section key={page.id} class="govuk-!-margin-bottom-8" aria-labelledby={`page-${pageIndex}-heading`}>
                <h2 class="govuk-heading-m" id={`page-${pageIndex}-heading`}>
                  {t('builder.page_n', { n: pageIndex + 1 })}
                  {colon()}
                  {localized(page.title) || t('builder.untitled_page')}
                </h2>
                <SideBySide id={`page-${pageIndex}-title`} legend={t('builder.page_title')} texts={page.title} onChange={(title) => change(replacePage(form, pageIndex, { ...page, title }), `page-${pageIndex}`)} />
                <div class="govuk-!-margin-bottom-4">
                  <SmallButton
                    id={`page-${pageIndex}-up`}
                    text={t('builder.move_page_up')}
                    about={localized(page.title)}
                    disabled={pageIndex === 0}
                    onClick={() => {
                      change(movePage(form, pageIndex, -1));
                      focusLater(`page-${pageIndex - 1}-up`);
                    }}
                  />
                  <SmallButton
                    id={`page-${pageIndex}-down`}
                    text={t('builder.move_page_down')}
                    about={localized(page.title)}
                    disabled={pageIndex === form.pages.length - 1}
                    onClick={() => {
                      change(movePage(form, pageIndex, 1));
                      focusLater(`page-${pageIndex + 1}-down`);
                    }}
                  />
                  <SmallButton
                    text={t('builder.delete_page')}
                    about={localized(page.title)}
                    warning
                    disabled={form.pages.length === 1}
                    onClick={() => {
                      change({ ...form, pages: form.pages.filter((_, i) => i !== pageIndex) });
                      setNotice(t('builder.page_deleted'));
                    }}
                  />
                </div>
                <ol class="govuk-list">
                  {page.questions.map((q, index) => {
                    const open = selected?.page === pageIndex && selected.question === q.name;
                    const title = questionTitle(q);
                    return (
                      <li key={q.name + index} class="govuk-!-margin-bottom-4 govuk-!-padding-bottom-2" id={`q-${q.name}`}>
                        <h3 class="govuk-heading-s govuk-!-margin-bottom-1">
                          {index + 1}. {title} <span class="govuk-caption-s">({[typeName(q.type), q.condition ? t('builder.conditional') : '', q.type !== 'statement' && !q.required ? t('builder.optional') : ''].filter(Boolean).join(', ')})</span>
                        </h3>
                        <SmallButton id={`q-${q.name}-edit`} text={open ? t('builder.close') : t('builder.edit')} about={title} onClick={() => setSelected(open ? undefined : { page: pageIndex, question: q.name })} />
                        <SmallButton
                          id={`q-${q.name}-up`}
                          text={t('builder.move_up')}
                          about={title}
                          disabled={pageIndex === 0 && index === 0}
                          onClick={() => {
                            change(moveQuestion(form, pageIndex, index, -1));
                            if (open) setSelected({ page: index === 0 ? pageIndex - 1 : pageIndex, question: q.name });
                            focusLater(`q-${q.name}-up`);
                          }}
                        />
                        <SmallButton
                          id={`q-${q.name}-down`}
                          text={t('builder.move_down')}
                          about={title}
                          disabled={pageIndex === form.pages.length - 1 && index === page.questions.length - 1}
                          onClick={() => {
                            change(moveQuestion(form, pageIndex, index, 1));
                            if (open) setSelected({ page: index === page.questions.length - 1 ? pageIndex + 1 : pageIndex, question: q.name });
                            focusLater(`q-${q.name}-down`);
                          }}
                        />
                        <SmallButton
                          id={`q-${q.name}-remove`}
                          text={t('builder.remove')}
                          about={title}
                          warning
                          onClick={() => {
                            change(removeQuestion(form, pageIndex, index));
                            setNotice(t('builder.question_removed', { question: title }));
                            focusLater('undo');
                          }}
                        />
                        {open && (
                          <div class="govuk-inset-text govuk-!-margin-top-2">
                            <QuestionEditor
                              question={q}
                              siblings={form.pages.flatMap((p) => p.questions)}
                              idBase={`q-${q.name}`}
                              selectedMember={selected?.member}
                              onSelectMember={(member) => setSelected({ page: pageIndex, question: q.name, member })}
                              onChange={(next) => {
                                change(replaceQuestion(form, pageIndex, index, next), `q-${pageIndex}-${index}`);
                                if (next.name !== q.name) setSelected({ page: pageIndex, question: next.name, member: selected?.member });
                              }}
                            />
                          </div>
                        )}
                      </li>
                    );
                  })}
                </ol>
                <AddQuestion
                  id={`page-${pageIndex}-add`}
                  types={QUESTION_TYPES}
                  onAdd={(type) => {
                    const question = newQuestion(type, allNames(form));
                    change(replacePage(form, pageIndex, { ...page, questions: [...page.questions, question] }));
                    setSelected({ page: pageIndex, question: question.name });
                    focusLater(`q-${question.name}-label-en`);
                  }}
                />
              </section>
            ))}
            <button
              type="button"
              id="add-page"
              class="govuk-button govuk-button--secondary"
              onClick={() => {
                change({ ...form, pages: [...form.pages, { id: freshPageId(form), title: {}, questions: [] }] });
                focusLater(`page-${form.pages.length}-title-en`);
              }}
            >
              {t('builder.add_page')}
            </button>
            <Bank
              pages={form.pages.map((p, i) => `${i + 1}. ${localized(p.title) || t('builder.untitled_page')}`)}
              taken={allNames(form)}
              currentForm={stored.form_id}
              onCopy={(pageIndex, question: Question) => {
                const page = form.pages[pageIndex];
                change(replacePage(form, pageIndex, { ...page, questions: [...page.questions, question] }));
                setNotice(t('builder.copied', { question: questionTitle(question) }));
              }}
            />
            <JsonImportExport
              definition={definition}
              onImport={(imported) => {
                change(fromDefinition(imported));
                setNotice(t('builder.imported'));
              }}
            />
            <section aria-labelledby="publish-title" class="govuk-!-margin-top-6">
              <h2 class="govuk-heading-m" id="publish-title">
                {t('builder.before_publishing')}
              </h2>
              {found.length === 0 ? (
                <p class="govuk-body">{t('builder.nothing_missing')}</p>
              ) : (
                <>
                  <p class="govuk-body">{t('builder.missing_count', { count: found.length })}</p>
                  <ul class="govuk-list govuk-list--bullet" id="missing-list">
                    {found.map((gap) => (
                      <li key={gap.target + gap.kind}>
                        <a class="govuk-link" href={`#${gap.target}`} onClick={goTo(gap)}>
                          {gapText(gap, form)}
                        </a>
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {published && (
                <>
                  <h3 class="govuk-heading-s">{t('builder.changes_since', { n: published.version })}</h3>
                  <ChangeList changes={changesBetween(published.form, form)} draft={form} published={published.form} />
                </>
              )}
              <button type="button" id="publish" class="govuk-button" onClick={publish}>
                {t('builder.publish')}
              </button>
            </section>
          </div>
          <div class="govuk-grid-column-one-half">
            <Preview definition={definition} />
          </div>
        </div>
      )}
    </div>
  );
}

function saveText(save: SaveState): string {
  switch (save.kind) {
    case 'saved':
      return t('builder.saved_at', { time: save.at.toLocaleTimeString() });
    case 'saving':
      return t('builder.saving');
    case 'waiting':
      return t('builder.unsaved');
    case 'incomplete':
      return t('builder.not_saved_incomplete', { count: save.count });
    case 'failed':
      return t('builder.not_saved', { reason: save.text });
    case 'stale':
      return t('builder.stale');
    default:
      return t('builder.autosave_lead');
  }
}

function nameOf(form: BuilderForm, question: string | undefined): string {
  if (!question) return '';
  const [top, member] = question.split('.');
  const q = form.pages.flatMap((p) => p.questions).find((x) => x.name === top);
  if (!q) return question;
  const m = member ? q.questions?.find((x) => x.name === member) : undefined;
  return m ? `${questionTitle(q)} › ${questionTitle(m)}` : questionTitle(q);
}

export function gapText(gap: Gap, form: BuilderForm): string {
  const page = gap.page >= 0 ? t('builder.page_n', { n: gap.page + 1 }) : t('builder.form_title');
  const question = gap.question ? nameOf(form, gap.question) : '';
  const where = question && gap.kind !== 'missing_label' ? t('builder.where_question', { page, question }) : page;
  const what = gap.what ? t(`builder.what.${gap.what.split(':')[0]}`) : '';
  const language = gap.locale ? t(`builder.language.${gap.locale}`) : '';
  return t(`builder.gap.${gap.kind}`, { where, what, language });
}

function ChangeList({ changes, draft, published }: { changes: Changes; draft: BuilderForm; published: BuilderForm }) {
  const none = !changes.added.length && !changes.removed.length && !changes.changed.length;
  if (none) return <p class="govuk-body">{t('builder.no_changes')}</p>;
  const row = (key: string, names: string[], form: BuilderForm) =>
    names.length > 0 && (
      <>
        <h4 class="govuk-heading-s">{t(key, { count: names.length })}</h4>
        <ul class="govuk-list govuk-list--bullet">
          {names.map((n) => (
            <li key={n}>{nameOf(form, n)}</li>
          ))}
        </ul>
      </>
    );
  return (
    <div id="changes">
      {row('builder.added', changes.added, draft)}
      {row('builder.removed', changes.removed, published)}
      {row('builder.changed', changes.changed, draft)}
    </div>
  );
}

function JsonImportExport({ definition, onImport }: { definition: Definition; onImport: (definition: Definition) => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const importIt = () => {
    try {
      const parsed = JSON.parse(text);
      if (!parsed || typeof parsed !== 'object' || !parsed.schema || !parsed.ui_schema) throw new Error('shape');
      setError(undefined);
      onImport(parsed as Definition);
      setText('');
    } catch {
      setError(t('builder.import_invalid'));
    }
  };
  return (
    <details class="govuk-details govuk-!-margin-top-6">
      <summary class="govuk-details__summary">
        <span class="govuk-details__summary-text">{t('builder.json')}</span>
      </summary>
      <div class="govuk-details__text">
        <div class="govuk-form-group">
          <label class="govuk-label govuk-label--s" for="json-export">
            {t('builder.json_export')}
          </label>
          <textarea class="govuk-textarea ssp-json-editor" id="json-export" rows={8} readOnly dir="ltr" spellcheck={false} value={JSON.stringify(definition, null, 2)} />
        </div>
        <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
          <label class="govuk-label govuk-label--s" for="json-import">
            {t('builder.json_import')}
          </label>
          <div class="govuk-hint" id="json-import-hint">
            {t('builder.json_import_hint')}
          </div>
          {error && (
            <p class="govuk-error-message" id="json-import-error">
              <span class="govuk-visually-hidden">{t('common.error_prefix')}</span> {error}
            </p>
          )}
          <textarea
            class={`govuk-textarea ssp-json-editor${error ? ' govuk-textarea--error' : ''}`}
            id="json-import"
            rows={6}
            dir="ltr"
            spellcheck={false}
            aria-describedby={`json-import-hint${error ? ' json-import-error' : ''}`}
            value={text}
            onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
          />
        </div>
        <button type="button" id="json-import-button" class="govuk-button govuk-button--secondary" onClick={importIt}>
          {t('builder.json_import_button')}
        </button>
      </div>
    </details>
  );
}
