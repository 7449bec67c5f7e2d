/**
 * What the staff console's pages share: texts per language, the GOV.UK error pattern for staff
 * forms (an error summary at the top linking to each field, the message on the field itself),
 * names of states, and the JSON editor with its live preview drawn by the registrant's renderer.
 */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError, itemsOf } from '../api/client';
import { ErrorMessage, statusName, type ErrorItem } from '../components/govuk';
import { errorMessage } from '../components/page';
import { getAt, setAt, toAnswer, toRaw, visibleFields, type Answers, type FormModel, type RawValue } from '../forms/model';
import { FormFields } from '../forms/render';
import { has, LOCALES, localized, t, type Locale } from '../i18n';

const LOCALE_CODES = Object.keys(LOCALES) as Locale[];
export type Texts = Record<Locale, string>;

export function textsOf(value: unknown): Texts {
  const map = (value && typeof value === 'object' ? value : {}) as Record<string, string>;
  return Object.fromEntries(LOCALE_CODES.map((code) => [code, map[code] ?? ''])) as Texts;
}

/** Only the languages with a text (the API refuses empty ones). */
export function cleanTexts(texts: Texts): Record<string, string> {
  return Object.fromEntries(Object.entries(texts).filter(([, v]) => v.trim()));
}

// --- errors --------------------------------------------------------------------------------------

/** One problem on a staff form: the id of the element it is about (for the summary's link), and what to do. */
export interface Problem {
  id: string;
  text: string;
}

export function summaryOf(problems: Problem[]): ErrorItem[] {
  return problems.map((p) => ({ href: p.id ? `#${p.id}` : '', text: p.text }));
}

export function messageFor(problems: Problem[], id: string): string | undefined {
  const found = problems.filter((p) => p.id === id).map((p) => p.text);
  return found.length ? found.join('. ') : undefined;
}

/** A field error code from the API, in words. */
function codeText(code: string): string {
  const key = `staff.error.${code}`;
  return has(key) ? t(key) : t('staff.error.other', { code });
}

/**
 * The problems of a failed save: each field error of the answer on the element `idOf` names
 * for its JSON pointer (`fallback` when none does, with the pointer said), else the error's message.
 */
export function problemsOf(error: unknown, idOf: (pointer: string) => string | undefined, fallback: string): Problem[] {
  if (error instanceof ApiError && Object.keys(error.fields).length) {
    return Object.entries(error.fields).map(([pointer, code]) => {
      const id = idOf(pointer);
      return id ? { id, text: codeText(code) } : { id: fallback, text: `${pointer}: ${codeText(code)}` };
    });
  }
  return [{ id: '', text: errorMessage(error) }];
}

/** The problems of a failed save of a one-field form, all on that field. */
export function problemsOn(error: unknown, id: string): Problem[] {
  return problemsOf(error, () => id, id).map((p) => ({ ...p, id }));
}

// --- lists -------------------------------------------------------------------------------------

interface Paged<T> {
  items: T[];
  cursor?: string | null;
  loading: boolean;
  loaded: boolean;
  error?: ApiError;
}

/**
 * A paginated staff list ({items, next_cursor}): the first page, then the next ones appended by
 * `more` (undefined when there are no more).
 */
export function usePaged<T>(path: string | null, query: Record<string, string | undefined> = {}): Paged<T> & { more?: () => void; reload: () => void } {
  const [state, setState] = useState<Paged<T>>({ items: [], loading: path !== null, loaded: false });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(query);
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    setState({ items: [], loading: true, loaded: false });
    api<{ next_cursor?: string | null }>('GET', path, { staff: true, query, signal: controller.signal }).then(
      (data) => setState({ items: itemsOf<T>(data), cursor: data?.next_cursor, loading: false, loaded: true }),
      (error) => {
        if ((error as Error).name !== 'AbortError') setState({ items: [], loading: false, loaded: false, error: error as ApiError });
      },
    );
    return () => controller.abort();
  }, [path, key, tick]);
  const more =
    path !== null && state.cursor && !state.loading
      ? () => {
          setState((s) => ({ ...s, loading: true }));
          api<{ next_cursor?: string | null }>('GET', path, { staff: true, query: { ...query, cursor: state.cursor as string } }).then(
            (data) => setState((s) => ({ items: [...s.items, ...itemsOf<T>(data)], cursor: data?.next_cursor, loading: false, loaded: true })),
            (error) => setState((s) => ({ ...s, loading: false, error: error as ApiError })),
          );
        }
      : undefined;
  return { ...state, more, reload: () => setTick((n) => n + 1) };
}

/** "Show more" under a paginated list. */
export function ShowMore({ more }: { more?: () => void }) {
  if (!more) return null;
  return (
    <button type="button" class="govuk-button govuk-button--secondary" onClick={more}>
      {t('staff.show_more')}
    </button>
  );
}

// --- fields --------------------------------------------------------------------------------------

/** What a control's aria-describedby names: its hint and its error message, those it has. */
function describedByOf(id: string, hint: string | undefined, error: string | undefined): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

/** The GOV.UK form group around one control: its label, its hint and its error message. */
function FieldGroup(props: { id: string; label: ComponentChildren; labelSize?: 's'; hint?: string; error?: string; children: ComponentChildren }) {
  const { id, label, labelSize, hint, error, children } = props;
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <label class={`govuk-label${labelSize ? ` govuk-label--${labelSize}` : ''}`} for={id}>
        {label}
      </label>
      {hint && (
        <div class="govuk-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      <ErrorMessage id={`${id}-error`} text={error} />
      {children}
    </div>
  );
}

interface InputProps {
  id: string;
  label: ComponentChildren;
  hint?: string;
  value: string;
  onInput: (value: string) => void;
  problems: Problem[];
  width?: string;
  lang?: string;
  inputMode?: 'numeric' | 'text';
  rows?: number;
  ltr?: boolean;
}

/** A GOV.UK text input (or textarea when `rows` is given) with its hint and error message. */
export function TextField({ id, label, hint, value, onInput, problems, width, lang, inputMode, rows, ltr }: InputProps) {
  const error = messageFor(problems, id);
  const describedBy = describedByOf(id, hint, error);
  const handle = (e: JSX.TargetedEvent<HTMLInputElement | HTMLTextAreaElement>) => onInput(e.currentTarget.value);
  return (
    <FieldGroup id={id} label={label} hint={hint} error={error}>
      {rows ? (
        <textarea class={`govuk-textarea${error ? ' govuk-textarea--error' : ''}`} id={id} rows={rows} lang={lang} dir="auto" aria-describedby={describedBy} value={value} onInput={handle} />
      ) : (
        <input
          class={`govuk-input${width ? ` govuk-input--width-${width}` : ''}${error ? ' govuk-input--error' : ''}${ltr ? ' ssp-ltr' : ''}`}
          id={id}
          lang={lang}
          dir={ltr ? 'ltr' : 'auto'}
          inputMode={inputMode}
          spellcheck={ltr ? false : undefined}
          aria-describedby={describedBy}
          value={value}
          onInput={handle}
        />
      )}
    </FieldGroup>
  );
}

/** A GOV.UK select with its error message; `options` are [value, text] pairs, in order. */
export function SelectField(props: { id: string; label: string; value: string; onChange: (value: string) => void; options: [string, string][]; problems: Problem[] }) {
  const { id, label, value, onChange, options, problems } = props;
  const error = messageFor(problems, id);
  return (
    <FieldGroup id={id} label={label} error={error}>
      <select
        class={`govuk-select${error ? ' govuk-select--error' : ''}`}
        id={id}
        aria-describedby={describedByOf(id, undefined, error)}
        value={value}
        onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}
      >
        {options.map(([option, text]) => (
          <option key={option} value={option}>
            {text}
          </option>
        ))}
      </select>
    </FieldGroup>
  );
}

/** The name of a language in that language, marked up so screen readers say it right. */
function LanguageName({ code }: { code: Locale }) {
  return <span lang={code}>{LOCALES[code].name}</span>;
}

/** A text in each language: one field per language inside a fieldset. */
export function LocaleTexts(props: { id: string; legend: string; hint?: string; texts: Texts; onChange: (texts: Texts) => void; problems: Problem[]; rows?: number }) {
  const { id, legend, hint, texts, onChange, problems, rows } = props;
  return (
    <fieldset class="govuk-fieldset govuk-!-margin-bottom-4" aria-describedby={hint ? `${id}-hint` : undefined}>
      <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
      {hint && (
        <div class="govuk-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {LOCALE_CODES.map((code) => (
        <TextField
          key={code}
          id={`${id}-${code}`}
          label={<LanguageName code={code} />}
          lang={code}
          rows={rows}
          value={texts[code]}
          problems={problems}
          onInput={(value) => onChange({ ...texts, [code]: value })}
        />
      ))}
    </fieldset>
  );
}

// --- decisions -------------------------------------------------------------------------------------

/**
 * A decision with a reason the person will read: one radio per choice (ids `${prefix}-${choice}`;
 * a missing decision is reported on the first), the reason (id `reasonId`) and the submit button.
 */
export function DecisionForm(props: {
  prefix: string;
  choices: readonly string[];
  labelOf: (choice: string) => string;
  decision: string;
  onDecision: (choice: string) => void;
  reasonId: string;
  reasonHint: string;
  reasonRows: number;
  reason: string;
  onReason: (reason: string) => void;
  problems: Problem[];
  onSubmit: (event: JSX.TargetedEvent<HTMLFormElement>) => void;
}) {
  const { prefix, choices, labelOf, decision, onDecision, problems } = props;
  const error = messageFor(problems, `${prefix}-${choices[0]}`);
  return (
    <form onSubmit={props.onSubmit} noValidate action="#">
      <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
        <fieldset class="govuk-fieldset" aria-describedby={error ? `${prefix}-error` : undefined}>
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">
            <h2 class="govuk-fieldset__heading">{t('staff.decision')}</h2>
          </legend>
          <ErrorMessage id={`${prefix}-error`} text={error} />
          <div class="govuk-radios" data-module="govuk-radios">
            {choices.map((choice) => (
              <div class="govuk-radios__item" key={choice}>
                <input class="govuk-radios__input" id={`${prefix}-${choice}`} name={prefix} type="radio" value={choice} checked={decision === choice} onChange={() => onDecision(choice)} />
                <label class="govuk-label govuk-radios__label" for={`${prefix}-${choice}`}>
                  {labelOf(choice)}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
      <TextField id={props.reasonId} label={t('staff.reason')} hint={props.reasonHint} rows={props.reasonRows} value={props.reason} onInput={props.onReason} problems={problems} />
      <button type="submit" class="govuk-button">
        {t('staff.record_decision')}
      </button>
    </form>
  );
}

// --- names -----------------------------------------------------------------------------------------

export const PROGRAM_STATES = ['open', 'draft', 'closed', 'archived'];

export function stateName(state: string): string {
  const key = `staff.state.${state}`;
  return has(key) ? t(key) : state;
}

const STATE_COLOURS: Record<string, string> = { open: 'green', draft: 'grey', closed: 'yellow', archived: 'grey', published: 'blue' };

export function StateTag({ state }: { state: string }) {
  const colour = STATE_COLOURS[state];
  return <strong class={`govuk-tag${colour ? ` govuk-tag--${colour}` : ''}`}>{stateName(state)}</strong>;
}

/** Links to the same list in each state (the current one is not a link). */
export function StateTabs({ base, current, states, name = statusName }: { base: string; current: string; states: string[]; name?: (state: string) => string }) {
  return (
    <nav aria-label={t('staff.filter_status')}>
      <ul class="govuk-list ssp-inline-list">
        {states.map((state) => (
          <li key={state}>
            {state === current ? (
              <strong aria-current="page">{name(state)}</strong>
            ) : (
              <a class="govuk-link" href={`${base}${base.includes('?') ? '&' : '?'}status=${state}`}>
                {name(state)}
              </a>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A success message at the top of a page (GOV.UK notification banner). */
export function SuccessBanner({ text, role = 'alert' }: { text: string; role?: 'alert' | 'status' }) {
  return (
    <div class="govuk-notification-banner govuk-notification-banner--success" role={role} aria-labelledby="success-title">
      <div class="govuk-notification-banner__header">
        <h2 class="govuk-notification-banner__title" id="success-title">
          {t('banner.success')}
        </h2>
      </div>
      <div class="govuk-notification-banner__content">
        <p class="govuk-notification-banner__heading">{text}</p>
      </div>
    </div>
  );
}

// --- JSON editors and the live preview ----------------------------------------------------------------

/** A JSON editor: a monospace textarea that says when its text is not JSON. */
export function JsonField(props: { id: string; label: string; hint?: string; value: string; onInput: (value: string) => void; readOnly?: boolean; problems: Problem[]; rows?: number }) {
  const { id, label, hint, value, onInput, readOnly, problems, rows = 16 } = props;
  let invalid = false;
  try {
    JSON.parse(value);
  } catch {
    invalid = true;
  }
  const error = messageFor(problems, id) ?? (invalid ? t('staff.invalid_json') : undefined);
  return (
    <FieldGroup id={id} label={label} labelSize="s" hint={hint} error={error}>
      <textarea
        class={`govuk-textarea ssp-json-editor${error ? ' govuk-textarea--error' : ''}`}
        id={id}
        rows={rows}
        readOnly={readOnly}
        spellcheck={false}
        dir="ltr"
        aria-describedby={describedByOf(id, hint, error)}
        value={value}
        onInput={(e) => onInput((e.currentTarget as HTMLTextAreaElement).value)}
      />
    </FieldGroup>
  );
}

/** Parse JSON, or undefined. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The live preview's model from the texts of two JSON editors: undefined while either is not a
 * JSON object or `build` cannot make a form of them.
 */
export function usePreviewModel(first: string, second: string, build: (first: Record<string, unknown>, second: Record<string, unknown>) => FormModel): FormModel | undefined {
  return useMemo(() => {
    const a = parseJson(first);
    const b = parseJson(second);
    if (!a || typeof a !== 'object' || !b || typeof b !== 'object') return undefined;
    try {
      return build(a as Record<string, unknown>, b as Record<string, unknown>);
    } catch {
      return undefined;
    }
  }, [first, second]);
}

/** An editor on the left half of the page and, on the right, the form it edits as a person will see it. */
export function EditorAndPreview({ model, children }: { model: FormModel | undefined; children: ComponentChildren }) {
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-one-half">{children}</div>
      <div class="govuk-grid-column-one-half">
        <LivePreview model={model} />
      </div>
    </div>
  );
}

/**
 * The form as a person will see it, page by page, drawn by the registrant app's renderer. It
 * answers as a person would, so conditional questions appear as they will.
 */
function LivePreview({ model }: { model: FormModel | undefined }) {
  const [raw, setRaw] = useState<Record<string, RawValue>>({});
  let answers: Answers = {};
  if (model) for (const [name, value] of Object.entries(raw)) if (model.fields[name]) answers = setAt(answers, name, toAnswer(model.fields[name], value).value);
  const visible = model ? visibleFields(model, answers) : new Set<string>();
  return (
    <section aria-labelledby="preview-title">
      <h2 class="govuk-heading-m" id="preview-title">
        {t('staff.preview')}
      </h2>
      <div class="ssp-preview">
        {!model && <p class="govuk-body">{t('staff.preview_unavailable')}</p>}
        {model &&
          model.pages.map((page) => (
            <div key={page.id}>
              {model.pages.length > 1 || localized(page.title) ? <h3 class="govuk-heading-s">{localized(page.title)}</h3> : null}
              <FormFields
                model={model}
                names={page.fields.filter((n) => visible.has(n))}
                raw={{ ...Object.fromEntries(model.order.map((n) => [n, toRaw(model.fields[n], getAt(answers, n))])), ...raw }}
                errors={{}}
                required={model.required}
                onChange={(name, value) => setRaw((r) => ({ ...r, [name]: value }))}
              />
            </div>
          ))}
      </div>
    </section>
  );
}
