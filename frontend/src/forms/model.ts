/**
 * A form as the backend stores it (JSON Schema + UI schema) turned into what the renderer
 * needs: fields with their widget, pages (and sections), and the if/then conditions that show
 * or hide questions. Only the subset the backend accepts is understood (docs/frontend.md).
 *
 * Client-side checks are for speed; the server's 422 field errors are authoritative.
 */
import { Validator, type Schema } from '@cfworker/json-schema';
import { monthOf } from '../text/months';
import { asciiDigits, isPhone, phoneNumber, typedNumber } from '../text/normalise';

export type JsonSchema = Record<string, any>;
export type UiSchema = Record<string, any>;
export type Localized = string | Record<string, string>;
export type Answers = Record<string, unknown>;

export type FieldKind = 'text' | 'textarea' | 'number' | 'date' | 'radios' | 'checkboxes' | 'checkbox' | 'select' | 'document' | 'group';

/** A repeating group (each child, each member of the household): its members' own form. */
export interface Repeat {
  /** what one member is called ("child") */
  itemLabel: Localized;
  /** what several are called ("children"): "You have added 3 children" */
  itemsLabel: Localized;
  /** the member question whose answer names a member in the list */
  summaryField: string;
  min: number;
  max: number;
  /** the questions asked of each member, pointers relative to the member (`/name`) */
  model: FormModel;
}

export interface Option {
  value: string | number | boolean;
  label: Localized;
  hint?: Localized;
}

export interface Field {
  /** JSON pointer into the answers, e.g. `/household/size` (fields may sit in groups) */
  name: string;
  kind: FieldKind;
  label: Localized;
  hint?: Localized;
  schema: JsonSchema;
  options: Option[];
  integer: boolean;
  /** kept out of the browser's storage when a session expires (ID numbers, documents) */
  sensitive: boolean;
  autocomplete?: string;
  inputmode?: string;
  width?: string;
  documentKind?: string;
  accept: string[];
  maxBytes: number;
  errors: Record<string, Localized>;
  /** a phone number: typed with spaces, dashes or brackets, sent without (`text/normalise.ts`) */
  phone: boolean;
  /** a date that cannot lie in the future (a date of birth) */
  pastOnly: boolean;
  /** a repeating group's members' questions and limits */
  repeat?: Repeat;
}

export interface Page {
  id: string;
  title: Localized;
  description?: Localized;
  fields: string[];
  /** the page's questions and statements in the order the form places them */
  content: string[];
}

/** Text only, placed on a page like a question (`widget: statement`): nothing to answer. */
export interface Statement {
  pointer: string;
  label?: Localized;
  text: Localized;
}

interface Condition {
  /** the group (object) the condition is written on: `""` for the root */
  base: string;
  test: Validator;
  then: { fields: string[]; required: string[] };
  otherwise: { fields: string[]; required: string[] };
}

interface Dependency {
  base: string;
  trigger: string;
  required: string[];
}

/** A group of questions (a nested object): drawn as a section with its title as the legend. */
export interface Group {
  /** JSON pointer of the object, e.g. `/household` */
  name: string;
  title?: Localized;
  description?: Localized;
}

export interface FormModel {
  fields: Record<string, Field>;
  /** the form's groups (nested objects) by pointer */
  groups: Record<string, Group>;
  order: string[];
  pages: Page[];
  required: Set<string>;
  conditions: Condition[];
  dependencies: Dependency[];
  /** fields that are only asked when some condition holds */
  controlled: Set<string>;
  statements: Record<string, Statement>;
}

export const DEFAULT_ACCEPT = ['application/pdf', 'image/jpeg', 'image/png'];
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/** A date question about a birth (the server's `chalicelib/forms/answers.py` reads names alike). */
const BIRTH = /(^|_)(birth|born|dob)|birth/i;
const SENSITIVE_NAME = /(^|[_/])(national_?id|individual_?id|id_?number|uin|vid|passport|nin|ssn)($|_)/i;
const BOOLEAN_OPTIONS: Option[] = [
  { value: true, label: { en: 'Yes', fr: 'Oui', ar: 'نعم' } },
  { value: false, label: { en: 'No', fr: 'Non', ar: 'لا' } },
];

function escapePart(part: string): string {
  return part.replace(/~/g, '~0').replace(/\//g, '~1');
}

function pointerParts(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value at a JSON pointer in nested answers. */
export function getAt(answers: Answers, pointer: string): unknown {
  let value: unknown = answers;
  for (const part of pointerParts(pointer)) {
    if (!value || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Answers with the value at `pointer` replaced (undefined removes it; empty groups go too). */
export function setAt(answers: Answers, pointer: string, value: unknown): Answers {
  const parts = pointerParts(pointer);
  const write = (node: Record<string, unknown>, index: number): Record<string, unknown> => {
    const copy = { ...node };
    const key = parts[index];
    if (index === parts.length - 1) {
      if (value === undefined) delete copy[key];
      else copy[key] = value;
    } else {
      const child = copy[key] && typeof copy[key] === 'object' && !Array.isArray(copy[key]) ? (copy[key] as Record<string, unknown>) : {};
      const next = write(child, index + 1);
      if (Object.keys(next).length) copy[key] = next;
      else delete copy[key];
    }
    return copy;
  };
  return parts.length ? write(answers, 0) : answers;
}

function resolveRef(root: JsonSchema, node: JsonSchema): JsonSchema {
  const ref = node?.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/$defs/')) {
    const target = root.$defs?.[ref.slice('#/$defs/'.length)];
    if (target && typeof target === 'object') {
      const { $ref: _ignored, ...rest } = node;
      return { ...target, ...rest };
    }
  }
  return node;
}

function choicesOf(schema: JsonSchema): unknown[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  if (schema.type === 'array' && Array.isArray(schema.items?.enum)) return schema.items.enum;
  return undefined;
}

function optionsOf(schema: JsonSchema, fieldUi: UiSchema): Option[] {
  const labels: Record<string, Localized> = fieldUi.options && typeof fieldUi.options === 'object' && !Array.isArray(fieldUi.options) ? fieldUi.options : {};
  const choices = choicesOf(schema);
  if (choices) return choices.map((value) => ({ value: value as Option['value'], label: labels[String(value)] ?? String(value) }));
  // A select over a string the schema does not list (a country code held to a pattern): the options named.
  if (schema.type === 'string' && (fieldUi.widget === 'select' || fieldUi['ui:widget'] === 'select')) return Object.entries(labels).map(([value, label]) => ({ value, label }));
  if (schema.type === 'boolean') return BOOLEAN_OPTIONS.map((o) => ({ ...o, label: labels[String(o.value)] ?? o.label }));
  return [];
}

function kindOf(schema: JsonSchema, widget: string | undefined, options: Option[]): FieldKind {
  if (schema.type === 'array' && schema.items?.type === 'object') return 'group';
  switch (widget) {
    case 'document':
      return 'document';
    case 'radio':
    case 'radios':
      return 'radios';
    case 'checkbox':
    case 'checkboxes':
      return schema.type === 'array' ? 'checkboxes' : 'checkbox';
    case 'select':
    case 'textarea':
    case 'date':
    case 'number':
    case 'text':
      return widget;
  }
  if (schema.type === 'array') return 'checkboxes';
  if (schema.format === 'date') return 'date';
  if (schema.type === 'boolean') return 'radios';
  if (options.length) return options.length > 8 ? 'select' : 'radios';
  if (schema.type === 'number' || schema.type === 'integer') return 'number';
  if (typeof schema.maxLength === 'number' && schema.maxLength > 200) return 'textarea';
  return 'text';
}

function conditionFields(base: string, part: JsonSchema | undefined): { fields: string[]; required: string[] } {
  if (!part || typeof part !== 'object') return { fields: [], required: [] };
  const required: string[] = (Array.isArray(part.required) ? part.required : []).map((n: string) => `${base}/${escapePart(n)}`);
  const declared = Object.keys(part.properties ?? {}).map((n) => `${base}/${escapePart(n)}`);
  return { fields: [...new Set([...required, ...declared])], required };
}

/** The autocomplete token of a profile field, by its name (HTML's autofill field names). */
const PROFILE_AUTOCOMPLETE: Record<string, string> = {
  name: 'name',
  given_name: 'given-name',
  family_name: 'family-name',
  birthdate: 'bday',
  gender: 'sex',
  email: 'email',
  phone: 'tel',
  phone_number: 'tel',
  street_address: 'street-address',
  locality: 'address-level2',
  region: 'address-level1',
  postal_code: 'postal-code',
  country: 'country',
};

/**
 * The profile form (a plain JSON Schema of the person's details, no UI schema) as a form model:
 * each field's widget from its kind, a group (the address) as a section titled by its label,
 * labels and choices from the callers (`label("address/street_address")`, `choices(name,
 * enum)`: a select for a field given choices, e.g. a country or a language), the autocomplete
 * token by the field's name, and required what the form requires (a change never clears them).
 * Used by "change your details" and by the staff console's preview of the profile form, so both
 * show the same thing.
 */
export function profileFormModel(
  schema: JsonSchema,
  label: (name: string) => string,
  choices: (name: string, values: unknown[] | undefined) => { value: string; label: string }[] | undefined = () => undefined,
): FormModel {
  const fields: Record<string, unknown> = {};
  const walk = (node: Record<string, any>, base: string): Record<string, any> => {
    const properties: Record<string, any> = {};
    for (const [name, sub] of Object.entries<Record<string, any>>(node.properties ?? {})) {
      const pointer = `${base}/${name}`;
      const path = pointer.slice(1);
      if (sub && sub.type === 'object') {
        properties[name] = { ...walk(sub, pointer), title: label(path) };
        continue;
      }
      properties[name] = sub;
      if (!sub) continue;
      const given = choices(path, Array.isArray(sub.enum) ? sub.enum : undefined);
      const widget = sub.format === 'date' ? 'date' : given || sub.enum ? 'select' : sub.type === 'boolean' ? 'radio' : sub.type === 'integer' || sub.type === 'number' ? 'number' : 'text';
      fields[pointer] = {
        widget,
        label: label(path),
        autocomplete: PROFILE_AUTOCOMPLETE[name],
        options: given ? Object.fromEntries(given.map((o) => [o.value, o.label])) : Array.isArray(sub.enum) ? Object.fromEntries(sub.enum.map((v: string) => [v, v])) : undefined,
      };
    }
    return { ...node, properties };
  };
  return buildModel(walk(schema as Record<string, any>, ''), { fields } as UiSchema);
}

export function buildModel(schema: JsonSchema, uiSchema: UiSchema = {}): FormModel {
  const uiFields: Record<string, UiSchema> = uiSchema.fields && typeof uiSchema.fields === 'object' ? uiSchema.fields : {};
  const fields: Record<string, Field> = {};
  const groups: Record<string, Group> = {};
  const order: string[] = [];
  const required = new Set<string>();
  const conditions: Condition[] = [];
  const dependencies: Dependency[] = [];

  const walk = (node: JsonSchema, base: string) => {
    for (const name of node.required ?? []) required.add(`${base}/${escapePart(name)}`);
    const rules: JsonSchema[] = [...(node.if ? [node] : []), ...(Array.isArray(node.allOf) ? node.allOf : [])];
    for (const rule of rules) {
      if (rule.if) {
        conditions.push({
          base,
          test: new Validator(rule.if as Schema, '2020-12', false),
          then: conditionFields(base, rule.then),
          otherwise: conditionFields(base, rule.else),
        });
      }
      if (rule !== node) for (const name of rule.required ?? []) required.add(`${base}/${escapePart(name)}`);
      for (const [trigger, names] of Object.entries(rule.dependentRequired ?? {})) {
        dependencies.push({ base, trigger, required: (names as string[]).map((n) => `${base}/${escapePart(n)}`) });
      }
    }
    if (rules.length === 0 || !rules.includes(node)) {
      for (const [trigger, names] of Object.entries(node.dependentRequired ?? {})) {
        dependencies.push({ base, trigger, required: (names as string[]).map((n) => `${base}/${escapePart(n)}`) });
      }
    }
    for (const [name, raw] of Object.entries<JsonSchema>(node.properties ?? {})) {
      const propertySchema = resolveRef(schema, raw);
      const pointer = `${base}/${escapePart(name)}`;
      if (propertySchema?.type === 'object') {
        groups[pointer] = { name: pointer, title: uiFields[pointer]?.label ?? propertySchema.title, description: uiFields[pointer]?.hint ?? propertySchema.description }; // a section's heading per locale (widget: section)
        walk(propertySchema, pointer);
        continue;
      }
      const fieldUi: UiSchema = uiFields[pointer] ?? uiSchema[name] ?? {};
      const options = optionsOf(propertySchema, fieldUi);
      const kind = kindOf(propertySchema, fieldUi.widget ?? fieldUi['ui:widget'], options);
      const phone = (kind === 'text' || kind === 'number') && isPhone(name, propertySchema, fieldUi.autocomplete);
      fields[pointer] = {
        name: pointer,
        kind,
        label: fieldUi.label ?? fieldUi['ui:title'] ?? propertySchema.title ?? name,
        hint: fieldUi.hint ?? fieldUi['ui:help'] ?? propertySchema.description,
        schema: propertySchema,
        options,
        integer: propertySchema.type === 'integer',
        sensitive: kind === 'document' || SENSITIVE_NAME.test(pointer),
        autocomplete: fieldUi.autocomplete ?? (phone ? 'tel' : propertySchema.format === 'email' ? 'email' : undefined),
        inputmode: phone ? 'tel' : kind === 'number' ? (propertySchema.type === 'integer' ? 'numeric' : 'decimal') : propertySchema.format === 'email' ? 'email' : undefined,
        width: fieldUi.width,
        documentKind: fieldUi.document_kind ?? name,
        accept: fieldUi.accept ?? DEFAULT_ACCEPT,
        maxBytes: fieldUi.max_bytes ?? DEFAULT_MAX_BYTES,
        errors: fieldUi.errors && typeof fieldUi.errors === 'object' ? fieldUi.errors : {},
        phone,
        pastOnly: kind === 'date' && (fieldUi.autocomplete === 'bday' || BIRTH.test(name)),
        repeat: kind === 'group' ? repeatOf(propertySchema, fieldUi, pointer, uiFields) : undefined,
      };
      order.push(pointer);
    }
  };
  walk(schema, '');

  const controlled = new Set<string>();
  for (const condition of conditions) [...condition.then.fields, ...condition.otherwise.fields].filter((n) => n in fields).forEach((n) => controlled.add(n));

  const statements: Record<string, Statement> = {};
  for (const [pointer, ui] of Object.entries(uiFields)) {
    if (ui?.widget === 'statement' && !(pointer in fields)) statements[pointer] = { pointer, label: ui.label, text: ui.text ?? '' };
  }
  const rawPages: any[] = Array.isArray(uiSchema.pages) ? uiSchema.pages : [];
  let pages: Page[];
  if (rawPages.length) {
    pages = rawPages.map((page, i) => {
      const content = (page.fields ?? []).filter((n: string) => n in fields || n in statements);
      return {
        id: String(page.id ?? `page-${i + 1}`),
        title: page.title ?? `${i + 1}`,
        description: page.description,
        fields: content.filter((n: string) => n in fields),
        content,
      };
    });
    const placed = new Set(pages.flatMap((p) => p.fields));
    const rest = order.filter((n) => !placed.has(n));
    if (rest.length) {
      pages[pages.length - 1].fields.push(...rest);
      pages[pages.length - 1].content.push(...rest);
    }
  } else {
    pages = [{ id: 'answers', title: schema.title ?? '', fields: order, content: order }];
  }
  return { fields, groups, order, pages, required, conditions, dependencies, controlled, statements };
}

/**
 * A page's statements placed among the questions shown: each statement goes before the next shown
 * question after it (a statement before a hidden question moves on to the next one shown), and
 * those after the last shown question under the key `""`.
 */
export function statementsAmong(model: FormModel, page: Page, shown: string[]): Record<string, Statement[]> {
  const visible = new Set(shown);
  const placed: Record<string, Statement[]> = {};
  let pending: Statement[] = [];
  for (const name of page.content) {
    if (name in model.statements) pending.push(model.statements[name]);
    else if (visible.has(name) && pending.length) {
      placed[name] = pending;
      pending = [];
    }
  }
  if (pending.length) placed[''] = pending;
  return placed;
}

function repeatOf(schema: JsonSchema, fieldUi: UiSchema, pointer: string, uiFields: Record<string, UiSchema>): Repeat {
  const prefix = `${pointer}/`;
  const memberUi = Object.fromEntries(Object.entries(uiFields).filter(([key]) => key.startsWith(prefix)).map(([key, value]) => [key.slice(pointer.length), value]));
  return {
    itemLabel: fieldUi.item_label ?? pointer.slice(1),
    itemsLabel: fieldUi.items_label ?? fieldUi.item_label ?? pointer.slice(1),
    summaryField: String(fieldUi.summary_field ?? ''),
    min: typeof schema.minItems === 'number' ? schema.minItems : 0,
    max: typeof schema.maxItems === 'number' ? schema.maxItems : 30,
    model: buildModel(schema.items, { fields: memberUi }),
  };
}

/** A group's members as listed in the answers (an empty list when none). */
export function membersOf(answers: Answers, name: string): Answers[] {
  const value = getAt(answers, name);
  return Array.isArray(value) ? value.filter((m): m is Answers => Boolean(m) && typeof m === 'object') : [];
}

function holds(condition: Condition, answers: Answers): boolean {
  const group = condition.base ? getAt(answers, condition.base) : answers;
  return condition.test.validate(group ?? {}).valid;
}

/** The groups a field sits in, outermost first (`/a/b/c` -> [`/a`, `/a/b`]). */
export function groupsOf(model: FormModel, name: string): Group[] {
  const parts = name.split('/').slice(1, -1);
  const found: Group[] = [];
  let pointer = '';
  for (const part of parts) {
    pointer += `/${part}`;
    if (model.groups[pointer]) found.push(model.groups[pointer]);
  }
  return found;
}

/** Which fields are asked, given the answers so far (if/then/else conditions). */
export function visibleFields(model: FormModel, answers: Answers): Set<string> {
  const visible = new Set(model.order.filter((n) => !model.controlled.has(n)));
  for (const condition of model.conditions) {
    const part = holds(condition, answers) ? condition.then : condition.otherwise;
    part.fields.forEach((n) => visible.add(n));
  }
  return visible;
}

export function requiredFields(model: FormModel, answers: Answers): Set<string> {
  const required = new Set(model.required);
  for (const condition of model.conditions) {
    const part = holds(condition, answers) ? condition.then : condition.otherwise;
    part.required.forEach((n) => required.add(n));
  }
  for (const dependency of model.dependencies) {
    if (!isEmpty(getAt(answers, `${dependency.base}/${escapePart(dependency.trigger)}`))) dependency.required.forEach((n) => required.add(n));
  }
  return required;
}

/** The answers without those to questions that are no longer asked. */
export function pruneHidden(model: FormModel, answers: Answers): Answers {
  // Hiding one question can hide another (chains): settle in a few rounds.
  let current = answers;
  for (let round = 0; round < 5; round++) {
    const visible = visibleFields(model, current);
    let next = current;
    for (const name of model.order) if (!visible.has(name) && getAt(next, name) !== undefined) next = setAt(next, name, undefined);
    if (next === current) return current;
    current = next;
  }
  return current;
}

/** The answers as a JSON Merge Patch that also clears hidden questions (null removes). */
export function mergePatch(model: FormModel, answers: Answers, previous: Answers): Answers {
  const kept = pruneHidden(model, answers);
  let patch: Answers = {};
  for (const name of model.order) {
    const value = getAt(kept, name);
    if (value !== undefined) patch = setAt(patch, name, value);
    else if (getAt(previous, name) !== undefined) patch = setAt(patch, name, null);
  }
  return patch;
}

export function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

export interface FieldError {
  code: string;
  limit?: number;
  /** a date's missing parts: `day`, `month`, `year`, `day_month`... */
  missing?: string;
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

/** Today as `YYYY-MM-DD` in the reader's time zone. */
function localToday(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}
let today = localToday;
/** For tests: the day a date of birth is judged against (undefined: the real today). */
export function setTodayForTests(day: string | undefined): void {
  today = day ? () => day : localToday;
}

/** One field's answer against its own schema: the first problem as a stable code. */
export function checkValue(field: Field, value: unknown): FieldError | undefined {
  if (field.pastOnly && typeof value === 'string' && value > today()) return { code: 'in_future' };
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
    const value = getAt(answers, name);
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
  const answered = asked.filter((n) => !isEmpty(getAt(answers, n)));
  if (answered.length === 0 && asked.some((n) => requiredFields(model, answers).has(n))) return 'not_started';
  if (Object.keys(validateFields(model, answers, asked)).length) return answered.length ? 'incomplete' : 'not_started';
  return answered.length || asked.length === 0 ? 'completed' : 'not_started';
}

/**
 * The field a server error pointer is about (`/answers/household/size` or `/household/size`):
 * the longest field pointer that is the error's pointer or a prefix of it.
 */
export function fieldOfPointer(model: FormModel, pointer: string): string | undefined {
  const candidates = [pointer, pointer.startsWith('/answers/') ? pointer.slice('/answers'.length) : undefined].filter(Boolean) as string[];
  for (const candidate of candidates) {
    let probe = candidate;
    while (probe) {
      if (probe in model.fields) return probe;
      probe = probe.slice(0, probe.lastIndexOf('/'));
    }
  }
  return undefined;
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
    case 'checkbox':
      return value === true ? 'true' : '';
    default:
      return String(value);
  }
}

function optionValue(field: Field, raw: string): unknown {
  const option = field.options.find((o) => String(o.value) === raw);
  return option ? option.value : raw;
}

/** A raw input as an answer, or the code of why it cannot be one (e.g. 31 February). */
/** ``answers`` with the typed inputs of ``names`` in place: each input turned into its answer, or
 * cleared and named in ``invalid`` when it cannot be (a date that is not a date...). */
export function withInputs(model: FormModel, names: string[], answers: Answers, raw: Record<string, RawValue>): { answers: Answers; invalid: Record<string, FieldError> } {
  let merged = answers;
  const invalid: Record<string, FieldError> = {};
  for (const name of names) {
    const { value, error } = toAnswer(model.fields[name], raw[name]);
    if (error) invalid[name] = error;
    merged = setAt(merged, name, error ? undefined : value);
  }
  return { answers: merged, invalid };
}

export function toAnswer(field: Field, raw: RawValue): { value?: unknown; error?: FieldError } {
  switch (field.kind) {
    case 'checkboxes': {
      const list = Array.isArray(raw) ? raw : [];
      return { value: list.length ? list.map((r) => optionValue(field, r)) : undefined };
    }
    case 'date':
      return dateAnswer((raw ?? { day: '', month: '', year: '' }) as DateParts);
    case 'number': {
      const text = String(raw ?? '').trim();
      if (!text) return { value: undefined };
      const number = typedNumber(text);
      if (!Number.isFinite(number) || (field.integer && !Number.isInteger(number))) return { error: { code: 'wrong_type' } };
      return { value: number };
    }
    case 'checkbox':
      return { value: raw === 'true' ? true : undefined };
    case 'radios':
    case 'select': {
      const text = String(raw ?? '');
      return { value: text ? optionValue(field, text) : undefined };
    }
    default: {
      const text = String(raw ?? '');
      if (!text.trim()) return { value: undefined };
      // The server reads these alike (chalicelib/forms/typed.py): what it stores is what was checked here.
      if (field.phone) return { value: phoneNumber(text) };
      if (field.schema.pattern !== undefined || field.schema.format === 'date') return { value: asciiDigits(text).trim() };
      return { value: text };
    }
  }
}

/**
 * A date from its day, month and year as typed: digits of any script, a month by its name
 * ("March", "mars", "مارس"). The GOV.UK date pattern's problems: `date_missing` (with the
 * parts missing), `year_two_digits`, `not_a_date` (31 February, month 13).
 */
export function dateAnswer(parts: DateParts): { value?: string; error?: FieldError } {
  const day = asciiDigits(parts.day).trim();
  const monthText = asciiDigits(parts.month).trim();
  const year = asciiDigits(parts.year).trim();
  if (!day && !monthText && !year) return { value: undefined };
  const missing = [!day && 'day', !monthText && 'month', !year && 'year'].filter(Boolean).join('_');
  if (missing) return { error: { code: 'date_missing', missing } };
  const month = monthOf(monthText);
  if (!/^\d{1,2}$/.test(day) || month === undefined) return { error: { code: 'not_a_date' } };
  if (/^\d{1,2}$/.test(year)) return { error: { code: 'year_two_digits' } };
  if (!/^\d{4}$/.test(year)) return { error: { code: 'not_a_date' } };
  const date = new Date(Date.UTC(Number(year), month - 1, Number(day)));
  if (date.getUTCFullYear() !== Number(year) || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== Number(day)) return { error: { code: 'not_a_date' } };
  return { value: `${year}-${String(month).padStart(2, '0')}-${day.padStart(2, '0')}` };
}

/** Answers safe to keep in the browser when a session expires: no documents, no ID numbers. */
export function keepableAnswers(model: FormModel, answers: Answers): Answers {
  let kept: Answers = {};
  for (const name of model.order) {
    const value = getAt(answers, name);
    if (value !== undefined && !model.fields[name].sensitive) kept = setAt(kept, name, value);
  }
  return kept;
}
