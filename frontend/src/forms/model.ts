/**
 * A form as the backend stores it (JSON Schema + UI schema) turned into what the renderer
 * needs: fields with their widget, pages (and sections), and the if/then conditions that show
 * or hide questions. Only the subset the backend accepts is understood (docs/frontend.md).
 *
 * Client-side checks are for speed; the server's 422 field errors are authoritative.
 */
import { Validator, type Schema } from '@cfworker/json-schema';

export type JsonSchema = Record<string, any>;
export type UiSchema = Record<string, any>;
export type Localized = string | Record<string, string>;
export type Answers = Record<string, unknown>;

export type FieldKind = 'text' | 'textarea' | 'number' | 'date' | 'radios' | 'checkboxes' | 'select' | 'document';

export interface Option {
  value: string | number | boolean;
  label: Localized;
  hint?: Localized;
}

export interface Field {
  name: string;
  kind: FieldKind;
  label: Localized;
  hint?: Localized;
  schema: JsonSchema;
  options: Option[];
  integer: boolean;
  /** kept out of the browser's storage when a session expires (ID numbers) */
  sensitive: boolean;
  autocomplete?: string;
  inputmode?: string;
  width?: string;
  documentKind?: string;
  accept: string[];
  maxBytes: number;
  errors: Record<string, Localized>;
}

export interface Page {
  id: string;
  title: Localized;
  description?: Localized;
  section?: Localized;
  fields: string[];
}

interface Condition {
  test: Validator;
  then: { fields: string[]; required: string[] };
  otherwise: { fields: string[]; required: string[] };
}

export interface FormModel {
  fields: Record<string, Field>;
  order: string[];
  pages: Page[];
  required: Set<string>;
  conditions: Condition[];
  /** fields that are only asked when some condition holds */
  controlled: Set<string>;
}

export const DEFAULT_ACCEPT = ['application/pdf', 'image/jpeg', 'image/png'];
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

const SENSITIVE_NAME = /(^|_)(national_?id|individual_?id|id_?number|uin|vid|passport|nin|ssn)($|_)/i;

function ui(uiSchema: UiSchema, name: string): UiSchema {
  const entry = uiSchema[name];
  return entry && typeof entry === 'object' ? entry : {};
}

function pick<T>(...values: T[]): T | undefined {
  return values.find((v) => v !== undefined && v !== null);
}

function isDocument(schema: JsonSchema, fieldUi: UiSchema): boolean {
  const widget = fieldUi['ui:widget'];
  return (
    widget === 'document' ||
    widget === 'file' ||
    schema.format === 'document' ||
    schema.format === 'document-id' ||
    schema['x-document'] !== undefined ||
    schema.contentMediaType !== undefined
  );
}

function optionsOf(schema: JsonSchema, fieldUi: UiSchema): Option[] {
  const source = schema.type === 'array' ? (schema.items ?? {}) : schema;
  const names: Localized[] | undefined = fieldUi['ui:enumNames'];
  const hints: Localized[] | undefined = fieldUi['ui:enumHints'];
  if (Array.isArray(source.enum)) {
    return source.enum.map((value: string | number | boolean, i: number) => ({
      value,
      label: names?.[i] ?? String(value),
      hint: hints?.[i],
    }));
  }
  const alternatives = source.oneOf ?? source.anyOf;
  if (Array.isArray(alternatives)) {
    return alternatives
      .filter((alt: JsonSchema) => 'const' in alt)
      .map((alt: JsonSchema, i: number) => ({ value: alt.const, label: names?.[i] ?? alt.title ?? String(alt.const), hint: alt.description }));
  }
  if (source.type === 'boolean') {
    return [
      { value: true, label: { en: 'Yes', fr: 'Oui', ar: 'نعم' } },
      { value: false, label: { en: 'No', fr: 'Non', ar: 'لا' } },
    ];
  }
  return [];
}

function kindOf(schema: JsonSchema, fieldUi: UiSchema, options: Option[]): FieldKind {
  const widget = fieldUi['ui:widget'];
  if (isDocument(schema, fieldUi)) return 'document';
  if (schema.type === 'array') return 'checkboxes';
  if (widget === 'select' || widget === 'radios' || widget === 'textarea' || widget === 'date' || widget === 'checkboxes') return widget;
  if (schema.format === 'date') return 'date';
  if (schema.type === 'number' || schema.type === 'integer') return options.length ? 'radios' : 'number';
  if (options.length) return options.length > 8 ? 'select' : 'radios';
  if (typeof schema.maxLength === 'number' && schema.maxLength > 200) return 'textarea';
  return 'text';
}

function conditionFields(part: JsonSchema | undefined): { fields: string[]; required: string[] } {
  if (!part || typeof part !== 'object') return { fields: [], required: [] };
  const required: string[] = Array.isArray(part.required) ? part.required : [];
  const fields = [...new Set([...required, ...Object.keys(part.properties ?? {})])];
  return { fields, required };
}

export function buildModel(schema: JsonSchema, uiSchema: UiSchema = {}): FormModel {
  const properties: Record<string, JsonSchema> = schema.properties ?? {};
  const fields: Record<string, Field> = {};
  for (const [name, propertySchema] of Object.entries(properties)) {
    const fieldUi = ui(uiSchema, name);
    const options = optionsOf(propertySchema, fieldUi);
    const kind = kindOf(propertySchema, fieldUi, options);
    const fieldOptions = fieldUi['ui:options'] ?? {};
    const documentSpec = propertySchema['x-document'] ?? {};
    fields[name] = {
      name,
      kind,
      label: pick(fieldUi['ui:title'], fieldUi['ui:label'], propertySchema.title, name) as Localized,
      hint: pick(fieldUi['ui:hint'], fieldUi['ui:help'], fieldUi['ui:description'], propertySchema.description),
      schema: propertySchema,
      options,
      integer: propertySchema.type === 'integer',
      sensitive: Boolean(fieldUi['ui:sensitive']) || kind === 'document' || SENSITIVE_NAME.test(name),
      autocomplete: fieldUi['ui:autocomplete'] ?? fieldOptions.autocomplete,
      inputmode: fieldOptions.inputmode ?? (kind === 'number' ? (propertySchema.type === 'integer' ? 'numeric' : 'decimal') : undefined),
      width: fieldOptions.width,
      documentKind: documentSpec.kind ?? fieldOptions.documentKind ?? fieldOptions.kind ?? name,
      accept: documentSpec.accept ?? fieldOptions.accept ?? (propertySchema.contentMediaType ? [propertySchema.contentMediaType] : DEFAULT_ACCEPT),
      maxBytes: documentSpec.max_bytes ?? documentSpec.maxBytes ?? fieldOptions.maxBytes ?? DEFAULT_MAX_BYTES,
      errors: fieldUi['ui:errors'] ?? {},
    };
  }
  const declaredOrder: string[] = Array.isArray(uiSchema['ui:order']) ? uiSchema['ui:order'].filter((n: string) => n in fields) : [];
  const order = [...declaredOrder, ...Object.keys(fields).filter((n) => !declaredOrder.includes(n))];

  const conditions: Condition[] = [];
  const controlled = new Set<string>();
  const rules: JsonSchema[] = [...(Array.isArray(schema.allOf) ? schema.allOf : []), ...(schema.if ? [schema] : [])];
  for (const rule of rules) {
    if (!rule.if) continue;
    const condition: Condition = {
      test: new Validator(rule.if as Schema, '2020-12', false),
      then: conditionFields(rule.then),
      otherwise: conditionFields(rule.else),
    };
    conditions.push(condition);
    [...condition.then.fields, ...condition.otherwise.fields].filter((n) => n in fields).forEach((n) => controlled.add(n));
  }

  const rawPages: any[] = uiSchema['ui:pages'] ?? uiSchema.pages ?? [];
  let pages: Page[] = [];
  if (Array.isArray(rawPages) && rawPages.length) {
    pages = rawPages.map((page, i) => ({
      id: String(page.id ?? page.name ?? `page-${i + 1}`),
      title: page.title ?? page['ui:title'] ?? `${i + 1}`,
      description: page.description,
      section: page.section,
      fields: (page.fields ?? page.elements ?? []).filter((n: string) => n in fields),
    }));
    const placed = new Set(pages.flatMap((p) => p.fields));
    const rest = order.filter((n) => !placed.has(n));
    if (rest.length) pages[pages.length - 1].fields.push(...rest);
  } else {
    pages = [{ id: 'answers', title: schema.title ?? uiSchema['ui:title'] ?? '', fields: order }];
  }
  return { fields, order, pages, required: new Set(schema.required ?? []), conditions, controlled };
}

/** Which fields are asked, given the answers so far (if/then conditions). */
export function visibleFields(model: FormModel, answers: Answers): Set<string> {
  const visible = new Set(model.order.filter((n) => !model.controlled.has(n)));
  for (const condition of model.conditions) {
    const part = condition.test.validate(answers).valid ? condition.then : condition.otherwise;
    part.fields.forEach((n) => visible.add(n));
  }
  return visible;
}

export function requiredFields(model: FormModel, answers: Answers): Set<string> {
  const required = new Set(model.required);
  for (const condition of model.conditions) {
    const part = condition.test.validate(answers).valid ? condition.then : condition.otherwise;
    part.required.forEach((n) => required.add(n));
  }
  return required;
}

/** The answers without those to questions that are no longer asked. */
export function pruneHidden(model: FormModel, answers: Answers): Answers {
  // Hiding one question can hide another (chains): settle in a few rounds.
  let current = { ...answers };
  for (let round = 0; round < 5; round++) {
    const visible = visibleFields(model, current);
    const next = Object.fromEntries(Object.entries(current).filter(([name]) => !(name in model.fields) || visible.has(name)));
    if (Object.keys(next).length === Object.keys(current).length) return next;
    current = next;
  }
  return current;
}

export function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

export interface FieldError {
  code: string;
  limit?: number;
}

const KEYWORD_CODES: Record<string, string> = {
  type: 'wrong_type',
  enum: 'not_allowed_value',
  const: 'not_allowed_value',
  maxLength: 'too_long',
  minLength: 'too_short',
  maximum: 'too_large',
  minimum: 'too_small',
  exclusiveMaximum: 'too_large',
  exclusiveMinimum: 'too_small',
  pattern: 'wrong_format',
  format: 'wrong_format',
  maxItems: 'too_many',
  minItems: 'too_few',
  uniqueItems: 'duplicate',
};

const LIMITS: Record<string, string> = { too_long: 'maxLength', too_short: 'minLength', too_large: 'maximum', too_small: 'minimum' };

const validators = new WeakMap<JsonSchema, Validator>();

/** One field's answer against its own schema: the first problem as a stable code. */
export function checkValue(field: Field, value: unknown): FieldError | undefined {
  let validator = validators.get(field.schema);
  if (!validator) {
    validator = new Validator(field.schema as Schema, '2020-12', false);
    validators.set(field.schema, validator);
  }
  const result = validator.validate(value);
  if (result.valid) return undefined;
  for (const error of result.errors) {
    const code = KEYWORD_CODES[error.keyword];
    if (!code) continue;
    const limitKey = LIMITS[code];
    const limit = limitKey ? field.schema[limitKey] ?? field.schema[`exclusive${limitKey[0].toUpperCase()}${limitKey.slice(1)}`] : undefined;
    return { code, limit: typeof limit === 'number' ? limit : undefined };
  }
  return { code: 'invalid' };
}

/** The problems of the given fields' answers: required ones missing, values that do not fit. */
export function validateFields(model: FormModel, answers: Answers, names: string[]): Record<string, FieldError> {
  const visible = visibleFields(model, answers);
  const required = requiredFields(model, answers);
  const problems: Record<string, FieldError> = {};
  for (const name of names) {
    if (!visible.has(name)) continue;
    const value = answers[name];
    if (isEmpty(value)) {
      if (required.has(name)) problems[name] = { code: 'required' };
      continue;
    }
    const problem = checkValue(model.fields[name], value);
    if (problem) problems[name] = problem;
  }
  return problems;
}

export type PageStatus = 'completed' | 'incomplete' | 'not_started';

export function pageStatus(model: FormModel, answers: Answers, page: Page): PageStatus {
  const visible = visibleFields(model, answers);
  const asked = page.fields.filter((n) => visible.has(n));
  const answered = asked.filter((n) => !isEmpty(answers[n]));
  if (answered.length === 0 && asked.some((n) => requiredFields(model, answers).has(n))) return 'not_started';
  if (Object.keys(validateFields(model, answers, asked)).length) return answered.length ? 'incomplete' : 'not_started';
  return answered.length || asked.length === 0 ? 'completed' : 'not_started';
}

/**
 * A server error pointer (`/answers/household/size`, `/household`, `/answers`) to the field it
 * is about: the first segment after an optional `answers` prefix.
 */
export function fieldOfPointer(model: FormModel, pointer: string): string | undefined {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const start = parts[0] === 'answers' ? 1 : 0;
  const name = parts[start];
  return name !== undefined && name in model.fields ? name : undefined;
}

// --- raw inputs <-> answers ------------------------------------------------------------------

export interface DateParts {
  day: string;
  month: string;
  year: string;
}
export type RawValue = string | string[] | DateParts | undefined;

export function toRaw(field: Field, value: unknown): RawValue {
  if (value === undefined || value === null) return field.kind === 'checkboxes' ? [] : field.kind === 'date' ? { day: '', month: '', year: '' } : '';
  switch (field.kind) {
    case 'checkboxes':
      return Array.isArray(value) ? value.map(String) : [];
    case 'date': {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value));
      return match ? { year: match[1], month: String(Number(match[2])), day: String(Number(match[3])) } : { day: '', month: '', year: '' };
    }
    default:
      return String(value);
  }
}

function optionValue(field: Field, raw: string): unknown {
  const option = field.options.find((o) => String(o.value) === raw);
  return option ? option.value : raw;
}

/** A raw input as an answer, or the code of why it cannot be one (e.g. 31 February). */
export function toAnswer(field: Field, raw: RawValue): { value?: unknown; error?: FieldError } {
  switch (field.kind) {
    case 'checkboxes': {
      const list = Array.isArray(raw) ? raw : [];
      return { value: list.length ? list.map((r) => optionValue(field, r)) : undefined };
    }
    case 'date': {
      const parts = (raw ?? { day: '', month: '', year: '' }) as DateParts;
      const day = parts.day.trim();
      const month = parts.month.trim();
      const year = parts.year.trim();
      if (!day && !month && !year) return { value: undefined };
      if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return { error: { code: 'wrong_format' } };
      const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
      if (date.getUTCFullYear() !== Number(year) || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) {
        return { error: { code: 'wrong_format' } };
      }
      return { value: `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}` };
    }
    case 'number': {
      const text = String(raw ?? '').trim().replace(/\s/g, '');
      if (!text) return { value: undefined };
      const number = Number(text.replace(',', '.'));
      if (!Number.isFinite(number) || (field.integer && !Number.isInteger(number))) return { error: { code: 'wrong_type' } };
      return { value: number };
    }
    case 'radios':
    case 'select': {
      const text = String(raw ?? '');
      return { value: text ? optionValue(field, text) : undefined };
    }
    default: {
      const text = String(raw ?? '');
      return { value: text.trim() ? text : undefined };
    }
  }
}

/** Answers safe to keep in the browser when a session expires: no documents, no ID numbers. */
export function keepableAnswers(model: FormModel, answers: Answers): Answers {
  return Object.fromEntries(Object.entries(answers).filter(([name]) => model.fields[name] && !model.fields[name].sensitive));
}
