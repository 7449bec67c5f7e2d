/**
 * The form builder's model: a form as pages of questions, each question of one of the types an
 * administrator picks (short text, date, choose one, household members...), and its translation
 * to and from the portal's form subset (JSON Schema + UI schema + prefill, docs/programs.md).
 *
 * `toDefinition(form)` writes what the server accepts (tests/forms/test_builder_output.py feeds
 * it every question type and condition); `fromDefinition(definition)` opens an existing form,
 * published or draft. What the builder cannot show as a question (a hand-written schema) is kept
 * untouched as a `custom` question and written back as it was, so nothing is ever lost.
 */
import { looksUntranslated } from '../texts';

export { looksUntranslated };

export type Texts = Record<string, string>;
export type Definition = { title: Texts; schema: Record<string, any>; ui_schema: Record<string, any>; prefill?: Record<string, any> };

export const QUESTION_TYPES = [
  'short_text',
  'long_text',
  'whole_number',
  'number',
  'date',
  'email',
  'phone',
  'yes_no',
  'choose_one',
  'choose_several',
  'address',
  'document',
  'household',
  'statement',
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number] | 'custom';

/** Answer formats of a short text, each a pattern the server's checker accepts (chalicelib/forms/patterns.py). */
export const FORMATS = ['none', 'phone_local', 'phone_international', 'national_id', 'postal_code', 'digits', 'custom'] as const;
export type Format = (typeof FORMATS)[number];

/** The answer error codes a form may word itself (chalicelib/forms/definition.py ERROR_CODES). */
export const ERROR_CODES = [
  'required',
  'wrong_type',
  'not_allowed_value',
  'too_long',
  'too_short',
  'too_large',
  'too_small',
  'wrong_step',
  'wrong_format',
  'not_a_date',
  'not_an_email',
  'too_many',
  'too_few',
  'duplicate',
  'required_document_missing',
  'in_future',
] as const;

/** Input purposes (WCAG 1.3.5) offered for personal questions; the server accepts a few more. */
export const AUTOCOMPLETE = [
  'name',
  'given-name',
  'family-name',
  'additional-name',
  'nickname',
  'sex',
  'bday',
  'tel',
  'email',
  'street-address',
  'address-line1',
  'address-line2',
  'address-level2',
  'address-level1',
  'postal-code',
  'country-name',
  'language',
  'organization',
] as const;

/** The person's details a question may start with; `id` ones come from the ID provider. */
export const PROFILE_FIELDS: { source: string; id: boolean }[] = [
  { source: 'profile.name', id: true },
  { source: 'profile.birthdate', id: true },
  { source: 'profile.gender', id: true },
  { source: 'profile.phone', id: true },
  { source: 'profile.email', id: true },
  { source: 'profile.address.street_address', id: true },
  { source: 'profile.address.locality', id: true },
  { source: 'profile.address.region', id: true },
  { source: 'profile.address.postal_code', id: true },
  { source: 'profile.address.country', id: true },
  { source: 'profile.preferred_language', id: false },
  { source: 'profile.household_size', id: false },
];
/** What the portal remembers of each household member (docs/registrants.md). */
export const HOUSEHOLD_FIELDS = ['name', 'birth_date', 'relationship', 'gender'];

/** The parts of an address, each a text question of its own in a section. */
export const ADDRESS_PARTS: { name: string; autocomplete: string; maxLength: number; label: Texts }[] = [
  { name: 'street_address', autocomplete: 'street-address', maxLength: 200, label: { en: 'Street and number', fr: 'Rue et numéro', ar: 'الشارع والرقم' } },
  { name: 'locality', autocomplete: 'address-level2', maxLength: 100, label: { en: 'Town or village', fr: 'Ville ou village', ar: 'المدينة أو القرية' } },
  { name: 'region', autocomplete: 'address-level1', maxLength: 100, label: { en: 'Region', fr: 'Région', ar: 'المنطقة' } },
  { name: 'postal_code', autocomplete: 'postal-code', maxLength: 20, label: { en: 'Postal code', fr: 'Code postal', ar: 'الرمز البريدي' } },
];

export type ConditionOp = 'is' | 'is_not' | 'one_of';
export interface Condition {
  /** the name of a choose-one or yes/no question of the same level (the form, or the same household member) */
  question: string;
  op: ConditionOp;
  values: (string | boolean)[];
}

export interface Choice {
  value: string;
  label: Texts;
}

export interface Question {
  /** the answer's name (a JSON property): letters, digits, underscores */
  name: string;
  type: QuestionType;
  label: Texts;
  hint: Texts;
  required: boolean;
  /** choose one: radios, or a list (select) */
  display?: 'radios' | 'list';
  choices?: Choice[];
  format?: Format;
  /** the number of digits of `digits` / `national_id`, or the regular expression of `custom` */
  formatValue?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  errors?: Record<string, Texts>;
  autocomplete?: string;
  condition?: Condition;
  prefill?: { from: string; editable: boolean };
  documentKind?: string;
  /** statement: its text */
  text?: Texts;
  /** address: the parts asked, in order */
  parts?: string[];
  /** household: what one / several members are called, the member question naming them, their questions */
  itemLabel?: Texts;
  itemsLabel?: Texts;
  summaryField?: string;
  questions?: Question[];
  /** household member question: the household field it starts from */
  householdField?: string;
  /** custom: the schema and UI kept as they were */
  raw?: {
    schema: Record<string, any>;
    ui?: Record<string, any>;
    /** a nested object's: its UI entries and prefill by pointer below it (`/size`), and its questions' pointers in page order */
    entries?: Record<string, any>;
    prefill?: Record<string, any>;
    leaves?: string[];
  };
}

export interface BuilderPage {
  id: string;
  title: Texts;
  questions: Question[];
}

export interface BuilderForm {
  title: Texts;
  pages: BuilderPage[];
  /** rules the builder does not write itself (hand-written conditions), per level ('' or a group's name), kept as they were */
  extraRules?: Record<string, Record<string, any>[]>;
  /** the schema's `$defs`, for hand-written questions that refer to them */
  defs?: Record<string, any>;
}

// --- answer formats ------------------------------------------------------------------------------

export const PHONE_LOCAL = '^\\+?[0-9 ]{7,20}$';
export const PHONE_INTERNATIONAL = '^\\+[1-9][0-9]{6,14}$';
export const POSTAL_CODE = '^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$';

/** The pattern and length a format puts on a short text. */
export function formatPattern(format: Format | undefined, value: string | undefined): { pattern?: string; maxLength?: number } {
  const digits = Math.min(Math.max(Number(value) || 10, 1), 30);
  switch (format) {
    case 'phone_local':
      return { pattern: PHONE_LOCAL, maxLength: 20 };
    case 'phone_international':
      return { pattern: PHONE_INTERNATIONAL, maxLength: 16 };
    case 'postal_code':
      return { pattern: POSTAL_CODE, maxLength: 10 };
    case 'national_id':
    case 'digits':
      return { pattern: `^[0-9]{${digits}}$`, maxLength: digits };
    case 'custom':
      return value ? { pattern: value } : {};
    default:
      return {};
  }
}

function formatOf(schema: Record<string, any>, marker: string | undefined): { format: Format; formatValue?: string } {
  const pattern = schema.pattern;
  if (typeof pattern !== 'string') return { format: 'none' };
  if (pattern === PHONE_LOCAL) return { format: 'phone_local' };
  if (pattern === PHONE_INTERNATIONAL) return { format: 'phone_international' };
  if (pattern === POSTAL_CODE) return { format: 'postal_code' };
  const digits = /^\^\[0-9\]\{(\d+)\}\$$/.exec(pattern);
  if (digits) return { format: marker === 'national_id' ? 'national_id' : 'digits', formatValue: digits[1] };
  return { format: 'custom', formatValue: pattern };
}

// --- helpers -------------------------------------------------------------------------------------

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const MARKER = 'builder:';

export function isName(name: string): boolean {
  return NAME.test(name);
}

/** A name for a new question that no other question of `taken` has: `question_3`. */
export function freshName(taken: Iterable<string>, stem = 'question'): string {
  const used = new Set(taken);
  for (let n = 1; ; n++) if (!used.has(`${stem}_${n}`)) return `${stem}_${n}`;
}

export function allNames(form: BuilderForm): string[] {
  return form.pages.flatMap((p) => p.questions.map((q) => q.name));
}

/** Locale texts without empty entries (the server refuses an empty text). */
export function clean(texts: Texts | undefined): Texts {
  return Object.fromEntries(Object.entries(texts ?? {}).filter(([, v]) => typeof v === 'string' && v.trim()));
}

function present(texts: Texts | undefined): boolean {
  return Object.keys(clean(texts)).length > 0;
}

function withMarker(schema: Record<string, any>, marker: string): Record<string, any> {
  return { ...schema, $comment: `${MARKER}${marker}` };
}

/** A new question of a type, with what it needs to be valid at once (a choice or two, a member question). */
export function newQuestion(type: QuestionType, taken: Iterable<string>): Question {
  const names = [...taken];
  const base: Question = { name: freshName(names, type === 'statement' ? 'statement' : type === 'household' ? 'members' : 'question'), type, label: {}, hint: {}, required: type !== 'statement' };
  switch (type) {
    case 'choose_one':
      return { ...base, display: 'radios', choices: [{ value: 'option_1', label: {} }, { value: 'option_2', label: {} }] };
    case 'choose_several':
      return { ...base, choices: [{ value: 'option_1', label: {} }, { value: 'option_2', label: {} }] };
    case 'short_text':
      return { ...base, format: 'none', maxLength: 200 };
    case 'long_text':
      return { ...base, maxLength: 1000 };
    case 'phone':
      return { ...base, format: 'phone_local', autocomplete: 'tel' };
    case 'email':
      return { ...base, autocomplete: 'email' };
    case 'address':
      return { ...base, parts: ADDRESS_PARTS.map((p) => p.name) };
    case 'document':
      return { ...base, documentKind: base.name };
    case 'statement':
      return { ...base, text: {} };
    case 'household':
      return {
        ...base,
        minItems: 1,
        maxItems: 10,
        itemLabel: {},
        itemsLabel: {},
        summaryField: 'name',
        questions: [{ name: 'name', type: 'short_text', label: {}, hint: {}, required: true, format: 'none', maxLength: 100 }],
      };
    default:
      return base;
  }
}

// --- builder -> definition -------------------------------------------------------------------------

interface Level {
  properties: Record<string, any>;
  required: string[];
  allOf: Record<string, any>[];
}

function conditionRule(condition: Condition, target: string, required: boolean): Record<string, any> {
  const values = condition.values;
  let test: Record<string, any>;
  if (condition.op === 'one_of') test = { enum: values };
  else if (condition.op === 'is_not') test = { not: { const: values[0] } };
  else test = { const: values[0] };
  return {
    if: { properties: { [condition.question]: test }, required: [condition.question] },
    then: required ? { required: [target] } : { properties: { [target]: {} } },
  };
}

function questionSchema(q: Question): Record<string, any> {
  switch (q.type) {
    case 'short_text': {
      const { pattern, maxLength } = formatPattern(q.format, q.formatValue);
      const schema: Record<string, any> = { type: 'string' };
      if (q.minLength) schema.minLength = q.minLength;
      const longest = maxLength ?? q.maxLength;
      if (longest) schema.maxLength = q.maxLength && maxLength ? Math.min(q.maxLength, maxLength) : longest;
      if (pattern) schema.pattern = pattern;
      return q.format === 'national_id' ? withMarker(schema, 'national_id') : schema;
    }
    case 'long_text':
      return { type: 'string', ...(q.minLength ? { minLength: q.minLength } : {}), maxLength: q.maxLength || 1000 };
    case 'whole_number':
    case 'number':
      return {
        type: q.type === 'whole_number' ? 'integer' : 'number',
        ...(q.minimum !== undefined ? { minimum: q.minimum } : {}),
        ...(q.maximum !== undefined ? { maximum: q.maximum } : {}),
      };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'email':
      return { type: 'string', format: 'email', maxLength: 254 };
    case 'phone':
      return withMarker({ type: 'string', ...formatPattern(q.format === 'phone_international' ? 'phone_international' : 'phone_local', undefined) }, 'phone');
    case 'yes_no':
      return { type: 'boolean' };
    case 'choose_one':
      return { type: 'string', enum: (q.choices ?? []).map((c) => c.value) };
    case 'choose_several':
      return {
        type: 'array',
        items: { type: 'string', enum: (q.choices ?? []).map((c) => c.value) },
        uniqueItems: true,
        ...(q.minItems ? { minItems: q.minItems } : {}),
        ...(q.maxItems ? { maxItems: q.maxItems } : {}),
      };
    case 'document':
      return { type: 'string', maxLength: 64 };
    case 'custom':
      return q.raw?.schema ?? { type: 'string' };
    default:
      return { type: 'string' };
  }
}

const WIDGETS: Partial<Record<QuestionType, string>> = {
  short_text: 'text',
  long_text: 'textarea',
  whole_number: 'number',
  number: 'number',
  date: 'date',
  email: 'text',
  phone: 'text',
  yes_no: 'radio',
  choose_several: 'checkbox',
  document: 'document',
};

function questionUi(q: Question, locales: string[]): Record<string, any> {
  if (q.type === 'custom') return q.raw?.ui ?? { widget: 'text', label: clean(q.label) };
  const ui: Record<string, any> = { widget: q.type === 'choose_one' ? (q.display === 'list' ? 'select' : 'radio') : WIDGETS[q.type], label: clean(q.label) };
  if (present(q.hint)) ui.hint = clean(q.hint);
  if (q.type === 'choose_one' || q.type === 'choose_several') ui.options = Object.fromEntries((q.choices ?? []).map((c) => [c.value, clean(c.label)]));
  if (q.type === 'document') ui.document_kind = q.documentKind || q.name;
  if (q.autocomplete && ['short_text', 'long_text', 'whole_number', 'number', 'email', 'phone'].includes(q.type)) ui.autocomplete = q.autocomplete;
  if (q.type === 'choose_one' && q.display === 'list' && q.autocomplete) ui.autocomplete = q.autocomplete;
  if (q.type === 'date' && q.autocomplete === 'bday') ui.autocomplete = 'bday';
  const errors = Object.fromEntries(
    Object.entries(q.errors ?? {})
      .map(([code, texts]) => [code, clean(texts)] as const)
      .filter(([, texts]) => Object.keys(texts).length),
  );
  if (Object.keys(errors).length) ui.errors = errors;
  void locales;
  return ui;
}

/** Write one level (the form's top, or a household member): properties, required, conditions, UI entries. */
function writeLevel(questions: Question[], prefix: string, ui: Record<string, any>, prefill: Record<string, any>, locales: string[]): Level {
  const level: Level = { properties: {}, required: [], allOf: [] };
  for (const q of questions) {
    const pointer = `${prefix}/${q.name}`;
    if (q.type === 'statement') {
      ui[pointer] = { widget: 'statement', text: clean(q.text), ...(present(q.label) ? { label: clean(q.label) } : {}) };
      continue;
    }
    if (q.type === 'address') {
      const parts = ADDRESS_PARTS.filter((p) => (q.parts ?? []).includes(p.name));
      level.properties[q.name] = {
        type: 'object',
        title: clean(q.label).en ?? Object.values(clean(q.label))[0] ?? q.name,
        $comment: `${MARKER}address`,
        properties: Object.fromEntries(parts.map((p) => [p.name, { type: 'string', maxLength: p.maxLength, ...(p.name === 'postal_code' ? { pattern: POSTAL_CODE, maxLength: 10 } : {}) }])),
        required: q.required ? parts.filter((p) => p.name !== 'region' && p.name !== 'postal_code').map((p) => p.name) : [],
        additionalProperties: false,
      };
      ui[pointer] = { widget: 'section', label: clean(q.label), ...(present(q.hint) ? { hint: clean(q.hint) } : {}) };
      for (const p of parts) {
        ui[`${pointer}/${p.name}`] = { widget: 'text', label: p.label, autocomplete: p.autocomplete };
        if (q.prefill) prefill[`${pointer}/${p.name}`] = { from: `profile.address.${p.name}`, editable: q.prefill.editable };
      }
      if (q.required) level.required.push(q.name);
      continue;
    }
    if (q.type === 'household') {
      const members: Record<string, any> = {};
      const memberPrefill: Record<string, any> = {};
      const inner = writeLevel(q.questions ?? [], '', members, memberPrefill, locales);
      const items: Record<string, any> = { type: 'object', properties: inner.properties, additionalProperties: false };
      if (inner.required.length) items.required = inner.required;
      if (inner.allOf.length) items.allOf = inner.allOf;
      level.properties[q.name] = { type: 'array', items, ...(q.minItems ? { minItems: q.minItems } : {}), maxItems: q.maxItems || 30 };
      const groupUi: Record<string, any> = { widget: 'group', label: clean(q.label), item_label: clean(q.itemLabel), summary_field: q.summaryField || (q.questions ?? [])[0]?.name || '' };
      if (present(q.hint)) groupUi.hint = clean(q.hint);
      if (present(q.itemsLabel)) groupUi.items_label = clean(q.itemsLabel);
      const errors = questionUi(q, locales).errors;
      if (errors) groupUi.errors = errors;
      ui[pointer] = groupUi;
      for (const [key, value] of Object.entries(members)) ui[`${pointer}${key}`] = value;
      const fields = Object.fromEntries((q.questions ?? []).filter((m) => m.householdField).map((m) => [m.name, m.householdField]));
      if (Object.keys(fields).length) prefill[pointer] = { from: 'household', fields };
      if (q.required && q.minItems) level.required.push(q.name);
      continue;
    }
    if (q.type === 'custom' && q.raw?.leaves) {
      // a nested object written by hand: kept whole, its own UI entries and prefill with it
      level.properties[q.name] = q.raw.schema;
      if (q.raw.ui) ui[pointer] = q.raw.ui;
      for (const [below, spec] of Object.entries(q.raw.entries ?? {})) ui[`${pointer}${below}`] = spec;
      for (const [below, entry] of Object.entries(q.raw.prefill ?? {})) prefill[`${pointer}${below}`] = entry;
      if (q.required) level.required.push(q.name);
      continue;
    }
    level.properties[q.name] = questionSchema(q);
    ui[pointer] = questionUi(q, locales);
    if (q.prefill) prefill[pointer] = { from: q.prefill.from, editable: q.prefill.editable };
    if (q.condition && questions.some((o) => o.name === q.condition!.question) && q.condition.values.length) {
      level.allOf.push(conditionRule(q.condition, q.name, q.required));
    } else if (q.required) {
      level.required.push(q.name);
    }
  }
  return level;
}

/** The form as the API takes it: {title, schema, ui_schema, prefill}. */
export function toDefinition(form: BuilderForm, locales: string[] = ['en', 'fr', 'ar']): Definition {
  const uiFields: Record<string, any> = {};
  const prefill: Record<string, any> = {};
  const questions = form.pages.flatMap((p) => p.questions);
  const root = writeLevel(questions, '', uiFields, prefill, locales);
  const schema: Record<string, any> = { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: root.properties };
  if (form.defs && Object.keys(form.defs).length) schema.$defs = form.defs;
  if (root.required.length) schema.required = root.required;
  const allOf = [...root.allOf, ...(form.extraRules?.[''] ?? [])];
  if (allOf.length) schema.allOf = allOf;
  for (const [group, rules] of Object.entries(form.extraRules ?? {})) {
    const items = group && schema.properties[group]?.items;
    if (items && rules.length) items.allOf = [...(items.allOf ?? []), ...rules];
  }
  const pages = form.pages.map((page) => ({
    id: page.id,
    title: clean(page.title),
    fields: page.questions.flatMap((q) => {
      if (q.type === 'address') return ADDRESS_PARTS.filter((p) => (q.parts ?? []).includes(p.name)).map((p) => `/${q.name}/${p.name}`);
      if (q.raw?.leaves) return q.raw.leaves.map((leaf) => `/${q.name}${leaf}`);
      return [`/${q.name}`];
    }),
  }));
  return { title: clean(form.title), schema, ui_schema: { pages, fields: uiFields }, prefill };
}

// --- definition -> builder -------------------------------------------------------------------------

function textsOf(value: unknown): Texts {
  if (typeof value === 'string') return { en: value };
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, v]) => typeof v === 'string')) as Texts;
  return {};
}

function markerOf(schema: Record<string, any>): string | undefined {
  const comment = schema?.$comment;
  return typeof comment === 'string' && comment.startsWith(MARKER) ? comment.slice(MARKER.length) : undefined;
}

/** The conditions the builder writes ("show when X is/is not/is one of"), read back; anything else is kept as it was. */
function readRule(rule: Record<string, any>, names: Set<string>): { target: string; condition: Condition; required: boolean } | undefined {
  const test = rule.if;
  if (!test || typeof test !== 'object' || rule.else) return undefined;
  const props = Object.entries<Record<string, any>>(test.properties ?? {});
  if (props.length !== 1 || JSON.stringify(test.required ?? []) !== JSON.stringify([props[0][0]])) return undefined;
  const [question, check] = props[0];
  let condition: Condition | undefined;
  const keys = Object.keys(check ?? {});
  if (keys.length === 1 && 'const' in check) condition = { question, op: 'is', values: [check.const] };
  else if (keys.length === 1 && Array.isArray(check.enum)) condition = { question, op: 'one_of', values: check.enum };
  else if (keys.length === 1 && check.not && Object.keys(check.not).length === 1 && 'const' in check.not) condition = { question, op: 'is_not', values: [check.not.const] };
  if (!condition || !names.has(question)) return undefined;
  const then = rule.then ?? {};
  const thenKeys = Object.keys(then);
  const required: string[] = then.required ?? [];
  const declared = Object.keys(then.properties ?? {});
  if (thenKeys.some((k) => k !== 'required' && k !== 'properties')) return undefined;
  if (declared.some((n) => Object.keys(then.properties[n]).length)) return undefined;
  const targets = [...required, ...declared];
  if (targets.length !== 1 || !names.has(targets[0])) return undefined;
  return { target: targets[0], condition, required: required.length === 1 };
}

/** The rules of a level as conditions per question, and the rules the builder cannot say in words. */
function readRules(level: Record<string, any>, names: Set<string>): { conditions: Map<string, { condition: Condition; required: boolean }>; extra: Record<string, any>[] } {
  const conditions = new Map<string, { condition: Condition; required: boolean }>();
  const extra: Record<string, any>[] = [];
  const rules: Record<string, any>[] = [];
  if (level.if) rules.push({ if: level.if, ...(level.then ? { then: level.then } : {}), ...(level.else ? { else: level.else } : {}) });
  rules.push(...(Array.isArray(level.allOf) ? level.allOf : []));
  for (const rule of rules) {
    const onlyIfThen = Object.keys(rule).every((k) => k === 'if' || k === 'then');
    const read = onlyIfThen ? readRule(rule, names) : undefined;
    if (read && !conditions.has(read.target)) conditions.set(read.target, { condition: read.condition, required: read.required });
    else if (onlyIfThen && rule.then && Object.keys(rule.then).length === 1 && Array.isArray(rule.then.required) && rule.then.required.length > 1) {
      // "if X then A and B are required": one condition per question, as the builder writes them
      const single = rule.then.required.map((n: string) => readRule({ if: rule.if, then: { required: [n] } }, names));
      if (single.every(Boolean) && single.every((s: any) => !conditions.has(s.target))) single.forEach((s: any) => conditions.set(s.target, { condition: s.condition, required: true }));
      else extra.push(rule);
    } else extra.push(rule);
  }
  if (level.dependentRequired) extra.push({ dependentRequired: level.dependentRequired });
  return { conditions, extra };
}

function readQuestion(name: string, schema: Record<string, any>, ui: Record<string, any> | undefined, required: boolean, prefillEntry: any): Question {
  const spec = ui ?? {};
  const base: Question = { name, type: 'custom', label: textsOf(spec.label), hint: textsOf(spec.hint), required };
  if (spec.errors && typeof spec.errors === 'object') base.errors = Object.fromEntries(Object.entries(spec.errors).map(([k, v]) => [k, textsOf(v)]));
  if (typeof spec.autocomplete === 'string') base.autocomplete = spec.autocomplete;
  if (prefillEntry) {
    const entry = typeof prefillEntry === 'string' ? { from: prefillEntry, editable: false } : prefillEntry;
    if (typeof entry.from === 'string' && entry.from.startsWith('profile.')) base.prefill = { from: entry.from, editable: Boolean(entry.editable) };
  }
  const marker = markerOf(schema);
  const widget = spec.widget;
  const type = schema.type;
  const known = (keys: string[]) => Object.keys(schema).every((k) => keys.includes(k));
  const choices = (values: unknown[]) => values.map((v) => ({ value: String(v), label: textsOf(spec.options?.[String(v)]) }));
  const custom = (): Question => ({ ...base, type: 'custom', raw: { schema, ui: spec } });
  if (widget === 'document' && type === 'string') return known(['type', 'maxLength', '$comment']) ? { ...base, type: 'document', documentKind: spec.document_kind } : custom();
  if (type === 'string' && schema.format === 'date') return known(['type', 'format', '$comment']) ? { ...base, type: 'date' } : custom();
  if (type === 'string' && schema.format === 'email') return known(['type', 'format', 'maxLength', '$comment']) && !schema.pattern ? { ...base, type: 'email' } : custom();
  if (type === 'boolean') return known(['type', '$comment']) && widget === 'radio' ? { ...base, type: 'yes_no' } : custom();
  if (type === 'string' && Array.isArray(schema.enum)) {
    return known(['type', 'enum', '$comment']) && (widget === 'radio' || widget === 'select') ? { ...base, type: 'choose_one', display: widget === 'select' ? 'list' : 'radios', choices: choices(schema.enum) } : custom();
  }
  if (type === 'array' && Array.isArray(schema.items?.enum) && schema.items.type === 'string') {
    return known(['type', 'items', 'uniqueItems', 'minItems', 'maxItems', '$comment']) && Object.keys(schema.items).length === 2
      ? { ...base, type: 'choose_several', choices: choices(schema.items.enum), minItems: schema.minItems, maxItems: schema.maxItems === 100 ? undefined : schema.maxItems }
      : custom();
  }
  if (type === 'integer' || type === 'number') {
    return known(['type', 'minimum', 'maximum', '$comment']) && widget === 'number' ? { ...base, type: type === 'integer' ? 'whole_number' : 'number', minimum: schema.minimum, maximum: schema.maximum } : custom();
  }
  if (type === 'string' && !('enum' in schema) && !('format' in schema) && known(['type', 'minLength', 'maxLength', 'pattern', '$comment'])) {
    if (marker === 'phone' || (widget === 'text' && (schema.pattern === PHONE_LOCAL || schema.pattern === PHONE_INTERNATIONAL) && spec.autocomplete === 'tel')) {
      return { ...base, type: 'phone', format: schema.pattern === PHONE_INTERNATIONAL ? 'phone_international' : 'phone_local' };
    }
    if (widget === 'textarea') return schema.pattern ? custom() : { ...base, type: 'long_text', minLength: schema.minLength, maxLength: schema.maxLength };
    if (widget === 'text') {
      const { format, formatValue } = formatOf(schema, marker);
      return { ...base, type: 'short_text', format, formatValue, minLength: schema.minLength, maxLength: format === 'none' || format === 'custom' ? schema.maxLength : undefined };
    }
  }
  return custom();
}

function readAddress(name: string, schema: Record<string, any>, uiFields: Record<string, any>, pointer: string, required: boolean, prefill: Record<string, any>): Question | undefined {
  const parts = Object.keys(schema.properties ?? {});
  if (markerOf(schema) !== 'address' || !parts.every((p) => ADDRESS_PARTS.some((a) => a.name === p))) return undefined;
  const section = uiFields[pointer] ?? {};
  const first = prefill[`${pointer}/${parts[0]}`];
  const q: Question = { name, type: 'address', label: present(textsOf(section.label)) ? textsOf(section.label) : textsOf(schema.title), hint: textsOf(section.hint), required, parts: ADDRESS_PARTS.map((p) => p.name).filter((p) => parts.includes(p)) };
  if (first) q.prefill = { from: 'profile.address', editable: Boolean(first.editable) };
  return q;
}

/** A nested object the builder cannot say as an address: kept as written, with the UI entries, prefill and page order of its questions. */
function customObject(name: string, schema: Record<string, any>, pointer: string, uiFields: Record<string, any>, prefill: Record<string, any>, required: boolean): Question {
  const below = (map: Record<string, any>) => Object.fromEntries(Object.entries(map).filter(([k]) => k.startsWith(`${pointer}/`)).map(([k, v]) => [k.slice(pointer.length), v]));
  const leaves: string[] = [];
  const walk = (node: Record<string, any>, prefix: string) => {
    for (const [key, sub] of Object.entries<Record<string, any>>(node.properties ?? {})) {
      if (sub?.type === 'object') walk(sub, `${prefix}/${key}`);
      else leaves.push(`${prefix}/${key}`);
    }
  };
  walk(schema, '');
  const spec = uiFields[pointer];
  return {
    name,
    type: 'custom',
    label: textsOf(spec?.label ?? schema.title),
    hint: {},
    required,
    raw: { schema, ...(spec ? { ui: spec } : {}), entries: below(uiFields), prefill: below(prefill), leaves },
  };
}

/** Read one level's questions (the form's top, or a household member's), in the order the pages place them. */
function readLevel(level: Record<string, any>, prefix: string, uiFields: Record<string, any>, prefill: Record<string, any>, extraRules: Record<string, Record<string, any>[]>, key: string): Map<string, Question> {
  const names = new Set(Object.keys(level.properties ?? {}));
  const { conditions, extra } = readRules(level, names);
  if (extra.length) extraRules[key] = extra;
  const required = new Set<string>(level.required ?? []);
  const out = new Map<string, Question>();
  for (const [name, raw] of Object.entries<Record<string, any>>(level.properties ?? {})) {
    const pointer = `${prefix}/${name}`;
    const schema = raw && typeof raw === 'object' ? raw : {};
    if (schema.type === 'object') {
      const address = readAddress(name, schema, uiFields, pointer, required.has(name), prefill);
      out.set(name, address ?? customObject(name, schema, pointer, uiFields, prefill, required.has(name)));
      continue;
    }
    if (schema.type === 'array' && schema.items?.type === 'object') {
      const spec = uiFields[pointer] ?? {};
      const memberUi = Object.fromEntries(Object.entries(uiFields).filter(([k]) => k.startsWith(`${pointer}/`)).map(([k, v]) => [k.slice(pointer.length), v]));
      const members = readLevel(schema.items, '', memberUi, {}, extraRules, name);
      const fields: Record<string, string> = prefill[pointer]?.from === 'household' ? prefill[pointer].fields ?? {} : {};
      for (const [member, field] of Object.entries(fields)) {
        const q = members.get(member);
        if (q) q.householdField = field;
      }
      const q: Question = {
        name,
        type: 'household',
        label: textsOf(spec.label),
        hint: textsOf(spec.hint),
        required: required.has(name),
        minItems: schema.minItems,
        maxItems: schema.maxItems,
        itemLabel: textsOf(spec.item_label),
        itemsLabel: textsOf(spec.items_label),
        summaryField: spec.summary_field,
        questions: [...members.values()],
      };
      if (spec.errors) q.errors = Object.fromEntries(Object.entries(spec.errors).map(([k, v]) => [k, textsOf(v)]));
      out.set(name, q);
      continue;
    }
    const condition = conditions.get(name);
    const q = readQuestion(name, schema, uiFields[pointer], required.has(name) || Boolean(condition?.required), prefill[pointer]);
    if (condition) q.condition = condition.condition;
    out.set(name, q);
  }
  // statements of a member level are not in the subset; the top level's are read by fromDefinition
  return out;
}

/** Open a stored form (draft or published) in the builder. */
export function fromDefinition(definition: Definition): BuilderForm {
  const schema = definition.schema ?? {};
  const ui = definition.ui_schema ?? {};
  const uiFields: Record<string, any> = ui.fields ?? {};
  const prefill: Record<string, any> = definition.prefill ?? {};
  const extraRules: Record<string, Record<string, any>[]> = {};
  const questions = readLevel(schema, '', uiFields, prefill, extraRules, '');
  const placed = new Set<string>();
  const pages: BuilderPage[] = (Array.isArray(ui.pages) ? ui.pages : []).map((page: any, index: number) => {
    const list: Question[] = [];
    for (const pointer of page.fields ?? []) {
      const top = String(pointer).split('/')[1];
      const spec = uiFields[pointer];
      if (spec?.widget === 'statement' && !questions.has(top)) {
        list.push({ name: top, type: 'statement', label: textsOf(spec.label), hint: {}, required: false, text: textsOf(spec.text) });
        placed.add(top);
        continue;
      }
      const q = questions.get(top);
      if (q && !placed.has(top)) {
        list.push(q);
        placed.add(top);
      }
    }
    return { id: String(page.id ?? `page-${index + 1}`), title: textsOf(page.title), questions: list };
  });
  // A hand-written nested object's questions in the order the pages ask them.
  const order: string[] = (Array.isArray(ui.pages) ? ui.pages : []).flatMap((page: any) => page.fields ?? []);
  for (const q of questions.values()) {
    if (q.raw?.leaves) q.raw.leaves.sort((a, b) => order.indexOf(`/${q.name}${a}`) - order.indexOf(`/${q.name}${b}`));
  }
  const rest = [...questions.values()].filter((q) => !placed.has(q.name));
  if (rest.length) {
    if (!pages.length) pages.push({ id: 'page-1', title: textsOf(definition.title), questions: [] });
    pages[pages.length - 1].questions.push(...rest);
  }
  const form: BuilderForm = { title: textsOf(definition.title), pages };
  if (Object.keys(extraRules).length) form.extraRules = extraRules;
  if (schema.$defs && typeof schema.$defs === 'object') form.defs = schema.$defs;
  return form;
}

// --- checks before publishing, and what changed -----------------------------------------------------

export interface Gap {
  /** the element to go to: `page-<i>-title`, `q-<name>-label-fr`, ... */
  target: string;
  kind: 'missing_label' | 'missing_text' | 'missing_translation' | 'looks_untranslated' | 'no_choices' | 'no_questions' | 'bad_name' | 'duplicate_name' | 'bad_condition' | 'no_member_questions' | 'group_not_alone';
  page: number;
  question?: string;
  locale?: string;
  what?: string;
}

/** A gap that is only worth a look: publishing goes ahead (a text the same in two languages may be right). */
export function onlyACheck(gap: Gap): boolean {
  return gap.kind === 'looks_untranslated';
}

/** Everything to fix before publishing: each missing translation, each question without a label, and what the server would refuse;
 * and, only to check (``onlyACheck``), each translation that looks like the first language's text left as it was. */
export function gaps(form: BuilderForm, locales: string[]): Gap[] {
  const found: Gap[] = [];
  /** A text: missing altogether (when needed), or missing in some languages. */
  const texts = (value: Texts | undefined, target: string, page: number, question: string | undefined, what: string, needed: boolean) => {
    const have = clean(value);
    if (!Object.keys(have).length) {
      if (needed) found.push({ target: `${target}-${locales[0]}`, kind: 'missing_text', page, question, what });
      return;
    }
    for (const locale of locales) {
      if (!have[locale]) found.push({ target: `${target}-${locale}`, kind: 'missing_translation', page, question, locale, what });
      else if (locale !== locales[0] && looksUntranslated(have[locales[0]], have[locale], locale)) found.push({ target: `${target}-${locale}`, kind: 'looks_untranslated', page, question, locale, what });
    }
  };
  texts(form.title, 'form-title', -1, undefined, 'title', true);
  const names = new Set<string>();
  const walk = (questions: Question[], pageIndex: number, prefix: string, siblings: Question[]) => {
    for (const q of questions) {
      const id = `q-${prefix}${q.name}`;
      if (!isName(q.name)) found.push({ target: `${id}-name`, kind: 'bad_name', page: pageIndex, question: prefix + q.name });
      else if (names.has(prefix + q.name)) found.push({ target: `${id}-name`, kind: 'duplicate_name', page: pageIndex, question: prefix + q.name });
      names.add(prefix + q.name);
      if (q.type === 'statement') {
        texts(q.text, `${id}-text`, pageIndex, prefix + q.name, 'text', true);
        if (present(q.label)) texts(q.label, `${id}-label`, pageIndex, prefix + q.name, 'heading', false);
        continue;
      }
      if (q.type === 'custom') continue;
      if (!present(q.label)) found.push({ target: `${id}-label-${locales[0]}`, kind: 'missing_label', page: pageIndex, question: prefix + q.name, locale: locales[0] });
      else texts(q.label, `${id}-label`, pageIndex, prefix + q.name, 'label', true);
      if (present(q.hint)) texts(q.hint, `${id}-hint`, pageIndex, prefix + q.name, 'hint', false);
      for (const [code, message] of Object.entries(q.errors ?? {})) {
        // a wrong date or email is worded once for both codes (the browser's and the server's)
        if (code === 'wrong_format' && (q.type === 'date' || q.type === 'email')) continue;
        if (present(message)) texts(message, `${id}-error-${code}`, pageIndex, prefix + q.name, `error:${code}`, false);
      }
      if (q.type === 'choose_one' || q.type === 'choose_several') {
        if (!(q.choices ?? []).length) found.push({ target: `${id}-add-choice`, kind: 'no_choices', page: pageIndex, question: prefix + q.name });
        (q.choices ?? []).forEach((c, i) => texts(c.label, `${id}-choice-${i}`, pageIndex, prefix + q.name, `choice:${c.value}`, true));
      }
      if (q.condition) {
        const source = siblings.find((s) => s.name === q.condition!.question);
        if (!source || !q.condition.values.length || source === q) found.push({ target: `${id}-condition-question`, kind: 'bad_condition', page: pageIndex, question: prefix + q.name });
      }
      if (q.type === 'household') {
        texts(q.itemLabel, `${id}-item-label`, pageIndex, prefix + q.name, 'item_label', true);
        if (present(q.itemsLabel)) texts(q.itemsLabel, `${id}-items-label`, pageIndex, prefix + q.name, 'items_label', false);
        if (!(q.questions ?? []).length) found.push({ target: `${id}-add-member-question`, kind: 'no_member_questions', page: pageIndex, question: prefix + q.name });
        walk(q.questions ?? [], pageIndex, `${q.name}.`, q.questions ?? []);
      }
    }
  };
  const all = form.pages.flatMap((p) => p.questions);
  form.pages.forEach((page, index) => {
    texts(page.title, `page-${index}-title`, index, undefined, 'page_title', true);
    if (!page.questions.length) found.push({ target: `page-${index}-add`, kind: 'no_questions', page: index });
    const group = page.questions.find((q) => q.type === 'household');
    if (group && page.questions.length > 1) found.push({ target: `q-${group.name}-edit`, kind: 'group_not_alone', page: index, question: group.name });
    walk(page.questions, index, '', all);
  });
  return found;
}

export interface Changes {
  added: string[];
  removed: string[];
  changed: string[];
}

function flat(form: BuilderForm): Map<string, { label: Texts; json: string }> {
  const out = new Map<string, { label: Texts; json: string }>();
  const add = (questions: Question[], prefix: string) => {
    for (const q of questions) {
      const { questions: members, ...rest } = q;
      out.set(prefix + q.name, { label: q.label && present(q.label) ? q.label : q.text ?? {}, json: JSON.stringify(rest) });
      if (members) add(members, `${q.name}.`);
    }
  };
  add(
    form.pages.flatMap((p) => p.questions),
    '',
  );
  return out;
}

/** Questions added, removed and changed between the published version and this draft (by name). */
export function changesBetween(published: BuilderForm, draft: BuilderForm): Changes {
  const before = flat(published);
  const after = flat(draft);
  return {
    added: [...after.keys()].filter((k) => !before.has(k)),
    removed: [...before.keys()].filter((k) => !after.has(k)),
    changed: [...after.keys()].filter((k) => before.has(k) && before.get(k)!.json !== after.get(k)!.json),
  };
}

/** Every question of a form with where it sits, for the question bank. */
export function bankQuestions(form: BuilderForm): Question[] {
  return form.pages.flatMap((p) => p.questions).filter((q) => q.type !== 'custom');
}

/** A copy of a bank question for this form: its translations kept, its name (and its members' conditions) made unique here. */
export function copyQuestion(q: Question, taken: Iterable<string>): Question {
  const names = new Set(taken);
  const copy: Question = JSON.parse(JSON.stringify(q));
  if (names.has(copy.name)) copy.name = freshName(names, copy.name);
  delete copy.condition; // its question is in the other form
  if (copy.type === 'document') copy.documentKind = q.documentKind;
  return copy;
}

// --- edits (pure: each returns a new form) --------------------------------------------------------

export function movePage(form: BuilderForm, index: number, delta: number): BuilderForm {
  const to = index + delta;
  if (to < 0 || to >= form.pages.length) return form;
  const pages = [...form.pages];
  [pages[index], pages[to]] = [pages[to], pages[index]];
  return { ...form, pages };
}

export function moveQuestion(form: BuilderForm, page: number, index: number, delta: number): BuilderForm {
  const questions = [...form.pages[page].questions];
  const to = index + delta;
  if (to >= 0 && to < questions.length) {
    [questions[index], questions[to]] = [questions[to], questions[index]];
    return replacePage(form, page, { ...form.pages[page], questions });
  }
  // past the page's edge: onto the previous or next page
  const target = page + delta;
  if (target < 0 || target >= form.pages.length) return form;
  const [moved] = questions.splice(index, 1);
  const pages = form.pages.map((p, i) => (i === page ? { ...p, questions } : i === target ? { ...p, questions: delta < 0 ? [...p.questions, moved] : [moved, ...p.questions] } : p));
  return { ...form, pages };
}

export function replacePage(form: BuilderForm, index: number, page: BuilderPage): BuilderForm {
  return { ...form, pages: form.pages.map((p, i) => (i === index ? page : p)) };
}

export function replaceQuestion(form: BuilderForm, page: number, index: number, question: Question): BuilderForm {
  const old = form.pages[page].questions[index];
  let next = replacePage(form, page, { ...form.pages[page], questions: form.pages[page].questions.map((q, i) => (i === index ? question : q)) });
  if (old.name !== question.name) next = renameReferences(next, old.name, question.name);
  return next;
}

function renameReferences(form: BuilderForm, from: string, to: string): BuilderForm {
  const fix = (q: Question): Question => (q.condition?.question === from ? { ...q, condition: { ...q.condition, question: to } } : q);
  return { ...form, pages: form.pages.map((p) => ({ ...p, questions: p.questions.map(fix) })) };
}

export function removeQuestion(form: BuilderForm, page: number, index: number): BuilderForm {
  const removed = form.pages[page].questions[index];
  const pages = form.pages.map((p, i) => ({
    ...p,
    questions: (i === page ? p.questions.filter((_, j) => j !== index) : p.questions).map((q) => (q.condition?.question === removed.name ? { ...q, condition: undefined } : q)),
  }));
  return { ...form, pages };
}

export function freshPageId(form: BuilderForm): string {
  const ids = new Set(form.pages.map((p) => p.id));
  for (let n = form.pages.length + 1; ; n++) if (!ids.has(`page-${n}`)) return `page-${n}`;
}
