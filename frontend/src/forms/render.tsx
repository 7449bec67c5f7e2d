/**
 * The form renderer: GOV.UK Design System markup for each field of the subset (text, textarea,
 * number, date as day/month/year, radios, checkboxes, select, document upload) and sections for
 * groups of questions, with labels, hints, "(optional)" and error messages tied to their inputs.
 * The same renderer draws the registrant's question pages and the staff console's live preview.
 */
import type { ComponentChildren, FunctionComponent } from 'preact';
import { formatBytes, formatDate, has, localized, locale, t } from '../i18n';
import { isolateGroupedNumbers } from '../text/bidi';
import { ErrorMessage } from '../components/govuk';
import { IdProvidedQuestion } from '../components/id_fields';
import { dateAnswer, groupsOf, type DateParts, type Field, type FieldError, type FormModel, type Group, type RawValue, type Statement } from './model';

/** The id of a field's element: `f` + its pointer with slashes as dashes (`f-household-size`). */
export function fieldId(field: Field): string {
  return `f${field.name.replace(/[^A-Za-z0-9_]/g, '-')}`;
}

/** The input an error summary links to: the first of the field's inputs. */
export function inputId(field: Field): string {
  const base = fieldId(field);
  return field.kind === 'date' ? `${base}-day` : base;
}

/** How a message names a question: the label without "(optional)", quoted when it is a question
 * ("Answer “Are you employed?”"), in French between « », lower-cased mid-sentence in English. */
export function labelNames(field: Field): { Label: string; label: string; quoted: string; question: boolean } {
  const optional = t('common.optional');
  const text = localized(field.label).replace(optional, '').trim();
  const question = /[?؟]$/.test(text);
  const lang = locale();
  const quoted = lang === 'fr' ? `«\u00a0${text}\u00a0»` : lang === 'ar' ? `«${text}»` : `“${text}”`;
  if (lang === 'fr' || question) return { Label: quoted, label: quoted, quoted, question };
  // "Date of birth" is "date of birth" mid-sentence; "ID number" keeps its capitals.
  const lower = lang === 'en' && /^\p{Lu}(\p{Ll}|\s)/u.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
  return { Label: text, label: lower, quoted, question };
}

const DATE_CODES = new Set(['date_missing', 'year_two_digits', 'not_a_date', 'wrong_format']);

/**
 * The message for a field's problem, in the reader's language, the GOV.UK way: it names the
 * question and says what is expected ("Enter a phone number, like 0712 345 678", "Date of birth
 * must include a year"), so the error summary needs no "Label: " before it. The form's own
 * message for the code (its UI field's `errors`) comes first.
 */
export function errorText(field: Field, error: FieldError | undefined): string | undefined {
  if (!error) return undefined;
  const { code } = error;
  const custom = field.errors[code] ?? (field.kind === 'date' && DATE_CODES.has(code) ? (field.errors.not_a_date ?? field.errors.wrong_format) : undefined);
  if (custom) return localized(custom);
  const { Label, label, quoted, question } = labelNames(field);
  const vars: Record<string, string | number> = { Label, label, quoted, ...(error.limit !== undefined ? { limit: error.limit } : {}) };
  if (code === 'required') {
    if (question) return t('field.error.answer_question', vars);
    const byKind: Partial<Record<string, string>> = { document: 'field.error.required_document', checkboxes: 'field.error.required_checkboxes', radios: 'field.error.required_select', select: 'field.error.required_select', checkbox: 'field.error.required_select' };
    return t(byKind[field.kind] ?? 'field.error.required_enter', vars);
  }
  if (field.kind === 'date') {
    if (code === 'date_missing') return t(`field.error.date_missing_${error.missing ?? 'day'}`, vars);
    if (code === 'year_two_digits') return t('field.error.year_two_digits', vars);
    if (code === 'in_future') return t('field.error.in_future', vars);
    if (DATE_CODES.has(code) || code === 'wrong_type') return t('field.error.not_a_date', vars);
  }
  if (field.phone && (code === 'wrong_format' || code === 'wrong_type' || code === 'too_long' || code === 'too_short')) {
    return t(String(field.schema.pattern ?? '').match(/^\^(\\\+|\[\+\])(?!\?)/) ? 'field.error.phone_international' : 'field.error.phone', vars);
  }
  if (field.schema.format === 'email' && (code === 'wrong_format' || code === 'not_an_email')) return t('field.error.email', vars);
  if (code === 'wrong_type' && field.kind === 'number') return t(field.integer ? 'field.error.whole_number' : 'field.error.number', vars);
  if (code === 'wrong_format') return t('field.error.format', vars);
  if (code.startsWith('documents.')) return t(code, { size: formatBytes(field.maxBytes) });
  const key = `field.error.${code}`;
  return has(key) ? t(key, vars) : t('field.error.invalid', vars);
}

/**
 * Which way a box reads: a phone number or an email left to right even on an Arabic page
 * ("+212 600…", never "…600 212+"), except a number typed in Arabic-Indic digits, whose groups
 * read right to left as typed; text in the direction of what is typed ("7 Rue des Orangers").
 */
function inputDirection(field: Field, text: string): 'ltr' | 'rtl' | 'auto' | undefined {
  if (field.phone) return /[\u0660-\u0669\u06f0-\u06f9]/.test(text) ? 'rtl' : 'ltr';
  if (field.schema.format === 'email') return 'ltr';
  return field.kind === 'text' ? 'auto' : undefined;
}

/** An answer as text, for a question the national ID answered (no box to type in). */
function shownValue(field: Field, value: RawValue): string {
  if (field.kind === 'date') {
    const answer = dateAnswer((value as DateParts | undefined) ?? { day: '', month: '', year: '' }).value;
    return answer ? formatDate(`${answer}T00:00:00`) : '';
  }
  const chosen = Array.isArray(value) ? value : [String(value ?? '')];
  if (field.options.length) return chosen.map((v) => localized(field.options.find((o) => String(o.value) === v)?.label ?? v)).join(', ');
  return chosen.join(', ');
}

export interface DocumentSlotProps {
  field: Field;
  id: string;
  value: string;
  describedBy?: string;
  error?: string;
  onChange: (documentId: string) => void;
  onError: (code: string | undefined, vars?: Record<string, string | number>) => void;
}

export interface FormFieldsProps {
  model: FormModel;
  names: string[];
  raw: Record<string, RawValue>;
  errors: Record<string, string | undefined>;
  required: Set<string>;
  /** fields prefilled from the person's verified profile: shown, not editable */
  readOnly?: Set<string>;
  onChange: (name: string, value: RawValue) => void;
  /** the page has this one question: its label is the page's heading */
  asHeading?: boolean;
  /** the page's statements, by the question each comes before (`""`: after the last) */
  statements?: Record<string, Statement[]>;
  Document?: FunctionComponent<DocumentSlotProps>;
  onDocumentError?: (name: string, code: string | undefined, vars?: Record<string, string | number>) => void;
}

/**
 * The questions in order; those of a group (a nested object) with a title are drawn inside a
 * section: a fieldset whose legend is the group's title as a heading (GOV.UK's pattern for a
 * set of related questions), nested groups one heading level down.
 */
export function FormFields(props: FormFieldsProps) {
  // A one-question page has its question as the page's heading: no section around it.
  if (props.asHeading) return <FieldView field={props.model.fields[props.names[0]]} {...props} />;
  return (
    <>
      {sectionsOf(props, props.names, 0)}
      <Statements statements={props.statements?.['']} />
    </>
  );
}

/** Statements of the form: text the person reads, with its heading when it has one. */
function Statements({ statements }: { statements?: Statement[] }) {
  if (!statements?.length) return null;
  return (
    <>
      {statements.map((statement) => (
        <div key={statement.pointer} class="ssp-statement" id={`st${statement.pointer.replace(/[^A-Za-z0-9_]/g, '-')}`}>
          {statement.label && <h2 class="govuk-heading-m">{localized(statement.label)}</h2>}
          <StatementText text={localized(statement.text)} />
        </div>
      ))}
    </>
  );
}

/** A statement's text as the person reads it: a paragraph per blank line, and grouped phone
 * numbers kept in their order on an Arabic page (the builder's preview draws it the same way). */
export function StatementText({ text }: { text: string }) {
  return (
    <>
      {text.split(/\n{2,}/).map((paragraph, i) => (
        <p key={i} class="govuk-body">
          {isolateGroupedNumbers(paragraph)}
        </p>
      ))}
    </>
  );
}

function sectionsOf(props: FormFieldsProps, names: string[], depth: number): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let index = 0;
  while (index < names.length) {
    const name = names[index];
    const group = groupsOf(props.model, name).filter((g) => g.title)[depth];
    if (!group) {
      // Inside a section the questions' labels are a size smaller than the section's heading.
      if (depth === 0) out.push(<Statements key={`${name}-statements`} statements={props.statements?.[name]} />);
      out.push(<FieldView key={name} field={props.model.fields[name]} {...props} small={depth > 0} />);
      index += 1;
      continue;
    }
    // The run of consecutive questions inside this group.
    let end = index;
    while (end < names.length && groupsOf(props.model, names[end]).filter((g) => g.title)[depth]?.name === group.name) end += 1;
    // Statements placed among a section's questions come before the section.
    if (depth === 0) out.push(<Statements key={`${group.name}-statements`} statements={names.slice(index, end).flatMap((n) => props.statements?.[n] ?? [])} />);
    out.push(<Section key={group.name} group={group} depth={depth}>{sectionsOf(props, names.slice(index, end), depth + 1)}</Section>);
    index = end;
  }
  return out;
}

function Section({ group, depth, children }: { group: Group; depth: number; children: ComponentChildren }) {
  const id = `s${group.name.replace(/[^A-Za-z0-9_]/g, '-')}`;
  const Heading = depth === 0 ? 'h2' : 'h3';
  return (
    <fieldset class="govuk-fieldset ssp-section" aria-describedby={group.description ? `${id}-hint` : undefined}>
      <legend class={`govuk-fieldset__legend govuk-fieldset__legend--${depth === 0 ? 'm' : 's'}`}>
        <Heading class="govuk-fieldset__heading" id={id}>
          {localized(group.title)}
        </Heading>
      </legend>
      {group.description && (
        <div class="govuk-hint" id={`${id}-hint`}>
          {localized(group.description)}
        </div>
      )}
      {children}
    </fieldset>
  );
}

function labelText(field: Field, required: boolean): ComponentChildren {
  const text = localized(field.label);
  // Some forms write "(optional)" into the label themselves: never say it twice.
  const marked = text.includes(t('common.optional'));
  return (
    <>
      {text}
      {!required && !marked && <> {t('common.optional')}</>}
    </>
  );
}

function FieldView({ field, raw, errors, required, readOnly, onChange, asHeading, Document, onDocumentError, small }: FormFieldsProps & { field: Field; small?: boolean }) {
  const id = fieldId(field);
  const locked = Boolean(readOnly?.has(field.name));
  const error = errors[field.name];
  const hintId = field.hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const isRequired = required.has(field.name);
  const size = asHeading ? 'l' : small ? 's' : 'm';
  const value = raw[field.name];
  const hint = field.hint ? (
    <div id={hintId} class="govuk-hint">
      {localized(field.hint)}
    </div>
  ) : null;
  const groupClass = `govuk-form-group${error ? ' govuk-form-group--error' : ''}`;

  if (locked && field.kind !== 'document') {
    const shown = shownValue(field, value);
    const ltr = field.phone || field.schema.format === 'email';
    const text = ltr ? <bdi dir="ltr">{shown}</bdi> : <bdi>{shown}</bdi>;
    if (asHeading) {
      return (
        <>
          <h1 class="govuk-heading-l">{localized(field.label)}</h1>
          <IdProvidedQuestion id={id} value={text} />
        </>
      );
    }
    return <IdProvidedQuestion id={id} label={localized(field.label)} value={text} />;
  }

  if (field.kind === 'checkbox') {
    return (
      <div class={groupClass}>
        <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
          <div class="govuk-checkboxes__item">
            <input
              class="govuk-checkboxes__input"
              id={id}
              name={field.name}
              type="checkbox"
              value="true"
              disabled={locked}
              checked={value === 'true'}
              aria-describedby={describedBy}
              onChange={(e) => onChange(field.name, (e.currentTarget as HTMLInputElement).checked ? 'true' : '')}
            />
            <label class="govuk-label govuk-checkboxes__label" for={id}>
              {labelText(field, isRequired)}
            </label>
            {field.hint && (
              <div id={hintId} class="govuk-hint govuk-checkboxes__hint">
                {localized(field.hint)}
              </div>
            )}
          </div>
        </div>
        <ErrorMessage id={`${id}-error`} text={error} />
      </div>
    );
  }

  if (field.kind === 'radios' || field.kind === 'checkboxes' || field.kind === 'date') {
    const legend = (
      <legend class={`govuk-fieldset__legend govuk-fieldset__legend--${size}`}>
        {asHeading ? <h1 class="govuk-fieldset__heading">{labelText(field, isRequired)}</h1> : labelText(field, isRequired)}
      </legend>
    );
    let body: ComponentChildren;
    if (field.kind === 'date') {
      const parts = (value as DateParts | undefined) ?? { day: '', month: '', year: '' };
      const part = (key: keyof DateParts, width: number) => (
        <div class="govuk-date-input__item">
          <div class="govuk-form-group">
            <label class="govuk-label govuk-date-input__label" for={`${id}-${key}`}>
              {t(`field.date.${key}`)}
            </label>
            <input
              class={`govuk-input govuk-date-input__input govuk-input--width-${width}${error ? ' govuk-input--error' : ''}`}
              id={`${id}-${key}`}
              name={`${field.name}-${key}`}
              type="text"
              inputMode="numeric"
              readOnly={locked}
              autoComplete={field.autocomplete === 'bday' ? `bday-${key}` : undefined}
              value={parts[key]}
              onInput={(e) => onChange(field.name, { ...parts, [key]: (e.currentTarget as HTMLInputElement).value })}
            />
          </div>
        </div>
      );
      body = (
        <>
          <div id={hintId ?? `${id}-hint`} class="govuk-hint">
            {field.hint ? localized(field.hint) : t('field.date.hint')}
          </div>
          <ErrorMessage id={`${id}-error`} text={error} />
          <div class="govuk-date-input" id={id}>
            {part('day', 2)}
            {part('month', 2)}
            {part('year', 4)}
          </div>
        </>
      );
      return (
        <div class={groupClass}>
          <fieldset class="govuk-fieldset" role="group" aria-describedby={[hintId ?? `${id}-hint`, errorId].filter(Boolean).join(' ')}>
            {legend}
            {body}
          </fieldset>
        </div>
      );
    }
    const multiple = field.kind === 'checkboxes';
    const selected = multiple ? ((value as string[] | undefined) ?? []) : [String(value ?? '')];
    const toggle = (optionValue: string, checked: boolean) => {
      if (!multiple) return onChange(field.name, optionValue);
      const next = checked ? [...selected.filter((v) => v !== optionValue), optionValue] : selected.filter((v) => v !== optionValue);
      onChange(field.name, next);
    };
    const kind = multiple ? 'checkboxes' : 'radios';
    return (
      <div class={groupClass}>
        <fieldset class="govuk-fieldset" aria-describedby={describedBy}>
          {legend}
          {hint}
          <ErrorMessage id={`${id}-error`} text={error} />
          <div class={`govuk-${kind}${!multiple && field.options.length === 2 && !field.options.some((o) => o.hint) ? ' govuk-radios--inline' : ''}`} data-module={`govuk-${kind}`}>
            {field.options.map((option, index) => {
              const optionId = index === 0 ? id : `${id}-${index + 1}`;
              const optionValue = String(option.value);
              return (
                <div class={`govuk-${kind}__item`} key={optionValue}>
                  <input
                    class={`govuk-${kind}__input`}
                    id={optionId}
                    name={field.name}
                    type={multiple ? 'checkbox' : 'radio'}
                    value={optionValue}
                    checked={selected.includes(optionValue)}
                    disabled={locked}
                    aria-describedby={option.hint ? `${optionId}-item-hint` : undefined}
                    onChange={(e) => toggle(optionValue, (e.currentTarget as HTMLInputElement).checked)}
                  />
                  <label class={`govuk-label govuk-${kind}__label`} for={optionId}>
                    {localized(option.label)}
                  </label>
                  {option.hint && (
                    <div id={`${optionId}-item-hint`} class={`govuk-hint govuk-${kind}__hint`}>
                      {localized(option.hint)}
                    </div>
                  )}
                </div>
              );
            })}
          </div>
        </fieldset>
      </div>
    );
  }

  const label = (
    <label class={`govuk-label govuk-label--${size}`} for={id}>
      {labelText(field, isRequired)}
    </label>
  );
  let control: ComponentChildren;
  const text = typeof value === 'string' ? value : '';
  const input = (e: Event) => onChange(field.name, (e.currentTarget as HTMLInputElement).value);
  if (field.kind === 'textarea') {
    control = (
      <textarea
        class={`govuk-textarea${error ? ' govuk-textarea--error' : ''}`}
        id={id}
        name={field.name}
        rows={5}
        dir="auto"
        readOnly={locked}
        aria-describedby={describedBy}
        value={text}
        onInput={input}
      />
    );
  } else if (field.kind === 'select') {
    control = (
      <select class={`govuk-select${error ? ' govuk-select--error' : ''}`} id={id} name={field.name} disabled={locked} aria-describedby={describedBy} value={text} onChange={input}>
        <option value="">{t('field.error.required_choice')}</option>
        {field.options.map((option) => (
          <option key={String(option.value)} value={String(option.value)}>
            {localized(option.label)}
          </option>
        ))}
      </select>
    );
  } else if (field.kind === 'document') {
    control = Document ? (
      <Document
        field={field}
        id={id}
        value={text}
        describedBy={describedBy}
        error={error}
        onChange={(documentId) => onChange(field.name, documentId)}
        onError={(code, vars) => onDocumentError?.(field.name, code, vars)}
      />
    ) : (
      <input class="govuk-file-upload" id={id} name={field.name} type="file" disabled aria-describedby={describedBy} />
    );
  } else {
    const width = field.width ?? (field.kind === 'number' ? '10' : undefined);
    control = (
      <input
        class={`govuk-input${width ? ` govuk-input--width-${width}` : ''}${error ? ' govuk-input--error' : ''}`}
        id={id}
        name={field.name}
        type={field.phone ? 'tel' : field.schema.format === 'email' ? 'email' : 'text'}
        dir={inputDirection(field, text)}
        inputMode={field.inputmode as any}
        autoComplete={field.autocomplete}
        spellcheck={field.kind === 'number' ? false : undefined}
        readOnly={locked}
        aria-describedby={describedBy}
        value={text}
        onInput={input}
      />
    );
  }
  return (
    <div class={groupClass}>
      {asHeading ? <h1 class="govuk-label-wrapper">{label}</h1> : label}
      {hint}
      <ErrorMessage id={`${id}-error`} text={error} />
      {control}
    </div>
  );
}
