import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel, visibleFields, requiredFields } from '../../forms/model';
import {
  looksUntranslated,
  onlyACheck,
  changesBetween,
  copyQuestion,
  fromDefinition,
  gaps,
  moveQuestion,
  movePage,
  newQuestion,
  QUESTION_TYPES,
  removeQuestion,
  replaceQuestion,
  toDefinition,
  type BuilderForm,
  type Condition,
  type Question,
  type QuestionType,
} from './model';

const T = (en: string) => ({ en, fr: `${en} (fr)`, ar: `${en} (ar)` });

/** A question of each type, filled in as an administrator would. */
function filled(type: QuestionType, name: string): Question {
  const q = { ...newQuestion(type, []), name, label: T(`Label of ${name}`), hint: T(`Hint of ${name}`) };
  switch (type) {
    case 'choose_one':
    case 'choose_several':
      return { ...q, choices: [{ value: 'yes_please', label: T('Yes please') }, { value: 'no_thanks', label: T('No thanks') }, { value: 'other', label: T('Other') }] };
    case 'statement':
      return { ...q, hint: {}, text: T('Have your ID card at hand.') };
    case 'household':
      return {
        ...q,
        itemLabel: T('child'),
        itemsLabel: T('children'),
        summaryField: 'name',
        questions: [
          { ...filled('short_text', 'name'), maxLength: 100, householdField: 'name' },
          { ...filled('date', 'birth_date'), householdField: 'birth_date' },
          { ...filled('choose_one', 'relationship'), householdField: 'relationship' },
          { ...filled('short_text', 'relationship_other'), condition: { question: 'relationship', op: 'is', values: ['other'] } },
          { ...filled('document', 'birth_certificate'), documentKind: 'birth_certificate', required: false },
        ],
      };
    case 'document':
      return { ...q, documentKind: 'proof_of_income' };
    default:
      return q;
  }
}

function formWith(questions: Question[], pages = 1): BuilderForm {
  const perPage = Math.ceil(questions.length / pages);
  return {
    title: T('A form'),
    pages: Array.from({ length: pages }, (_, i) => ({ id: `page-${i + 1}`, title: T(`Page ${i + 1}`), questions: questions.slice(i * perPage, (i + 1) * perPage) })),
  };
}

/** A form written by hand: a nested object (not an address the builder made) and a $ref, kept as written. */
const HANDWRITTEN = {
  title: T('Written by hand'),
  schema: {
    type: 'object',
    $defs: { yes: { type: 'boolean' } },
    properties: {
      household: { type: 'object', title: 'Household', properties: { size: { type: 'integer', minimum: 1 }, town: { type: 'string', maxLength: 50 } }, required: ['size'], additionalProperties: false },
      agrees: { $ref: '#/$defs/yes' },
    },
    required: ['household'],
  },
  ui_schema: {
    pages: [{ id: 'one', title: T('One'), fields: ['/household/town', '/agrees', '/household/size'] }],
    fields: {
      '/household': { widget: 'section', label: T('Your household') },
      '/household/size': { widget: 'number', label: T('People') },
      '/household/town': { widget: 'text', label: T('Town') },
      '/agrees': { widget: 'radio', label: T('Agree?') },
    },
  },
  prefill: { '/household/town': { from: 'profile.address.locality', editable: true } },
};

/** The cases whose definitions the server must accept (tests/forms/test_builder_output.py). */
function cases(): Record<string, BuilderForm> {
  const out: Record<string, BuilderForm> = {};
  for (const type of QUESTION_TYPES) {
    // a household group sits alone on its page
    if (type === 'household') out[`type_${type}`] = formWith([filled('short_text', 'before'), filled(type, 'children')], 2);
    else out[`type_${type}`] = formWith([filled(type, `q_${type}`), filled('short_text', 'other')]);
  }
  out.type_choose_one_as_list = formWith([{ ...filled('choose_one', 'region'), display: 'list', autocomplete: 'address-level1' }]);
  out.type_optional_everything = formWith(QUESTION_TYPES.filter((t) => t !== 'household').map((t) => ({ ...filled(t, `opt_${t}`), required: false })));
  for (const format of ['phone_local', 'phone_international', 'national_id', 'postal_code', 'digits', 'custom'] as const) {
    out[`format_${format}`] = formWith([
      {
        ...filled('short_text', 'answer'),
        format,
        formatValue: format === 'custom' ? '^[A-Z]{2}[0-9]{6}$' : format === 'digits' ? '8' : undefined,
        errors: { wrong_format: T('Enter it like the example'), required: T('Enter it') },
      },
    ]);
  }
  out.limits = formWith([
    { ...filled('short_text', 'code'), minLength: 2, maxLength: 12, errors: { too_short: T('Too short'), too_long: T('Too long') } },
    { ...filled('whole_number', 'size'), minimum: 1, maximum: 30, errors: { too_small: T('At least 1'), too_large: T('At most 30') } },
    { ...filled('number', 'income'), minimum: 0, maximum: 1000000 },
    { ...filled('choose_several', 'kinds'), minItems: 1, maxItems: 2, errors: { too_few: T('Choose one'), too_many: T('Two at most') } },
    { ...filled('long_text', 'story'), minLength: 10, maxLength: 500 },
  ]);
  out.phone_with_message = formWith([{ ...filled('phone', 'phone'), errors: { wrong_format: T('Enter a phone number, like 0712 345 678') } }]);
  out.personal_autocomplete = formWith([
    { ...filled('short_text', 'full_name'), autocomplete: 'name', prefill: { from: 'profile.name', editable: false } },
    { ...filled('date', 'birthdate'), autocomplete: 'bday', errors: { in_future: T('Your date of birth must be in the past') }, prefill: { from: 'profile.birthdate', editable: false } },
    { ...filled('email', 'email'), prefill: { from: 'profile.email', editable: true } },
    { ...filled('phone', 'phone'), prefill: { from: 'profile.phone', editable: true } },
    { ...filled('whole_number', 'household_size'), prefill: { from: 'profile.household_size', editable: true } },
    { ...filled('address', 'home'), prefill: { from: 'profile.address', editable: true } },
  ]);
  const ops: [string, Condition['op'], (string | boolean)[]][] = [
    ['is', 'is', ['other']],
    ['is_not', 'is_not', ['yes_please']],
    ['one_of', 'one_of', ['yes_please', 'other']],
  ];
  for (const [label, op, values] of ops) {
    for (const required of [true, false]) {
      out[`condition_choice_${label}_${required ? 'required' : 'optional'}`] = formWith([filled('choose_one', 'pick'), { ...filled('long_text', 'details'), required, condition: { question: 'pick', op, values } }]);
    }
    out[`condition_yes_no_${label}`] = formWith([
      filled('yes_no', 'receives'),
      { ...filled('choose_several', 'kinds'), condition: { question: 'receives', op, values: op === 'one_of' ? [true] : op === 'is_not' ? [false] : [true] } },
    ]);
  }
  out.condition_on_other_page = formWith([filled('yes_no', 'receives'), { ...filled('date', 'since'), condition: { question: 'receives', op: 'is', values: [true] } }], 2);
  out.condition_in_household = formWith([filled('household', 'members')]);
  out.custom_nested_object = fromDefinition(HANDWRITTEN);
  out.many_pages = formWith(
    QUESTION_TYPES.filter((t) => t !== 'household').map((t) => filled(t, `p_${t}`)),
    4,
  );
  return out;
}

describe('the builder model: question <-> form subset', () => {
  const all = cases();

  it.each(QUESTION_TYPES)('%s round-trips: builder -> definition -> builder -> the same definition', (type) => {
    const form = all[`type_${type}`];
    const definition = toDefinition(form);
    const reopened = fromDefinition(JSON.parse(JSON.stringify(definition)));
    expect(toDefinition(reopened)).toEqual(definition);
    expect(reopened.pages.flatMap((p) => p.questions).map((q) => q.type)).toEqual(form.pages.flatMap((p) => p.questions).map((q) => q.type));
    expect(reopened).toEqual(JSON.parse(JSON.stringify(form)));
  });

  it.each(Object.keys(all))('%s round-trips and the registrant renderer reads it', (name) => {
    const definition = toDefinition(all[name]);
    expect(toDefinition(fromDefinition(JSON.parse(JSON.stringify(definition))))).toEqual(definition);
    const model = buildModel(definition.schema, definition.ui_schema);
    for (const page of definition.ui_schema.pages) for (const pointer of page.fields) if (definition.ui_schema.fields[pointer]?.widget !== 'statement') expect(model.fields[pointer]).toBeDefined();
  });

  it('writes each type as the subset expects', () => {
    const def = toDefinition(all.personal_autocomplete);
    expect(def.schema.properties.home).toMatchObject({ type: 'object', properties: { street_address: { type: 'string' }, postal_code: { pattern: expect.any(String) } } });
    expect(def.ui_schema.fields['/home']).toEqual({ widget: 'section', label: T('Label of home'), hint: T('Hint of home') });
    expect(def.ui_schema.fields['/home/postal_code']).toMatchObject({ widget: 'text', autocomplete: 'postal-code' });
    expect(def.prefill!['/home/locality']).toEqual({ from: 'profile.address.locality', editable: true });
    expect(def.prefill!['/full_name']).toEqual({ from: 'profile.name', editable: false });
    expect(def.ui_schema.fields['/birthdate'].autocomplete).toBe('bday');
    const phone = toDefinition(all.phone_with_message);
    expect(phone.schema.properties.phone).toMatchObject({ type: 'string', pattern: '^\\+?[0-9 ]{7,20}$', maxLength: 20 });
    expect(phone.ui_schema.fields['/phone'].errors.wrong_format).toEqual(T('Enter a phone number, like 0712 345 678'));
    const statement = toDefinition(all.type_statement);
    expect(statement.ui_schema.fields['/q_statement']).toEqual({ widget: 'statement', text: T('Have your ID card at hand.'), label: T('Label of q_statement') });
    expect(statement.schema.properties.q_statement).toBeUndefined();
    const household = toDefinition(all.type_household);
    expect(household.schema.properties.children).toMatchObject({ type: 'array', minItems: 1, items: { type: 'object', required: ['name', 'birth_date', 'relationship'] } });
    expect(household.prefill!['/children']).toEqual({ from: 'household', fields: { name: 'name', birth_date: 'birth_date', relationship: 'relationship' } });
    expect(household.ui_schema.pages[1].fields).toEqual(['/children']);
    expect(household.ui_schema.fields['/children/birth_certificate']).toMatchObject({ widget: 'document', document_kind: 'birth_certificate' });
    const list = toDefinition(all.type_choose_one_as_list);
    expect(list.ui_schema.fields['/region']).toMatchObject({ widget: 'select', autocomplete: 'address-level1' });
  });

  it.each([
    ['is', ['other'], { other: true, yes_please: false, none: false }],
    ['is_not', ['yes_please'], { other: true, yes_please: false, none: false }],
    ['one_of', ['yes_please', 'other'], { other: true, yes_please: true, none: false }],
  ] as const)('a condition "%s" shows the question exactly when it holds', (op, values, expected) => {
    const form = formWith([filled('choose_one', 'pick'), { ...filled('long_text', 'details'), condition: { question: 'pick', op, values: [...values] } }]);
    const def = toDefinition(form);
    expect(def.schema.required).toEqual(['pick']);
    const model = buildModel(def.schema, def.ui_schema);
    expect(visibleFields(model, { pick: 'other' }).has('/details')).toBe(expected.other);
    expect(visibleFields(model, { pick: 'yes_please' }).has('/details')).toBe(expected.yes_please);
    expect(visibleFields(model, {}).has('/details')).toBe(expected.none);
    expect(requiredFields(model, { pick: 'other' }).has('/details')).toBe(expected.other);
  });

  it('a condition inside a household member reads that member', () => {
    const def = toDefinition(all.condition_in_household);
    const items = def.schema.properties.members.items;
    expect(items.allOf).toEqual([{ if: { properties: { relationship: { const: 'other' } }, required: ['relationship'] }, then: { required: ['relationship_other'] } }]);
    const member = buildModel(items, { fields: {} });
    expect(visibleFields(member, { relationship: 'other' }).has('/relationship_other')).toBe(true);
    expect(visibleFields(member, { relationship: 'son' }).has('/relationship_other')).toBe(false);
  });

  it('opens a hand-written form (the sample) and writes it back without losing a question or condition', () => {
    const sample = {
      title: T('Child Support Grant'),
      schema: {
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 200 },
          phone: { type: 'string', pattern: '^\\+?[0-9 ]{7,20}$', maxLength: 20 },
          region: { type: 'string', enum: ['central', 'coast'] },
          receives: { type: 'boolean' },
          kinds: { type: 'array', items: { type: 'string', enum: ['cash', 'food'] }, minItems: 1, uniqueItems: true, maxItems: 100 },
          details: { type: 'string', minLength: 2, maxLength: 500 },
          odd: { type: 'string', enum: ['a'], const: 'a' },
        },
        required: ['name', 'region', 'receives'],
        if: { properties: { receives: { const: true } }, required: ['receives'] },
        then: { required: ['kinds', 'details'] },
        dependentRequired: { phone: ['region'] },
      },
      ui_schema: {
        pages: [{ id: 'about', title: T('About you'), fields: ['/name', '/phone', '/region', '/receives', '/kinds', '/details', '/odd'] }],
        fields: {
          '/name': { widget: 'text', label: T('Full name') },
          '/phone': { widget: 'text', label: T('Phone') },
          '/region': { widget: 'select', label: T('Region'), options: { central: T('Central'), coast: T('Coast') } },
          '/receives': { widget: 'radio', label: T('Other support?') },
          '/kinds': { widget: 'checkbox', label: T('Kinds'), options: { cash: T('Cash'), food: T('Food') } },
          '/details': { widget: 'textarea', label: T('Details') },
          '/odd': { widget: 'radio', label: T('Odd'), options: { a: T('A') } },
        },
      },
      prefill: { '/name': 'profile.name' },
    };
    const form = fromDefinition(sample);
    const questions = form.pages[0].questions;
    expect(questions.map((q) => q.type)).toEqual(['short_text', 'short_text', 'choose_one', 'yes_no', 'choose_several', 'long_text', 'custom']);
    expect(questions[1].format).toBe('phone_local');
    expect(questions[0].prefill).toEqual({ from: 'profile.name', editable: false });
    expect(questions[4].condition).toEqual({ question: 'receives', op: 'is', values: [true] });
    expect(questions[5].condition).toEqual({ question: 'receives', op: 'is', values: [true] });
    const written = toDefinition(form);
    expect(written.schema.properties.odd).toEqual(sample.schema.properties.odd);
    expect(written.schema.allOf).toContainEqual({ dependentRequired: { phone: ['region'] } });
    const model = buildModel(written.schema, written.ui_schema);
    expect(visibleFields(model, { receives: true }).has('/details')).toBe(true);
    expect(visibleFields(model, { receives: false }).has('/details')).toBe(false);
  });

  it('keeps a nested object and a $ref it cannot say in words as they were written', () => {
    const form = fromDefinition(JSON.parse(JSON.stringify(HANDWRITTEN)));
    expect(form.pages[0].questions.map((q) => q.type)).toEqual(['custom', 'custom']);
    const written = toDefinition(form);
    expect(written.schema.properties).toEqual(HANDWRITTEN.schema.properties);
    expect(written.ui_schema.fields).toEqual(HANDWRITTEN.ui_schema.fields);
    expect(written.prefill).toEqual(HANDWRITTEN.prefill);
    expect(written.ui_schema.pages[0].fields).toEqual(['/household/town', '/household/size', '/agrees']);
  });

  it('lists every missing translation and every question without a label, each with its place', () => {
    const form = formWith([
      { ...filled('short_text', 'a'), label: {} },
      { ...filled('choose_one', 'b'), label: { en: 'Only English' } },
    ]);
    form.pages[0].questions[1].choices![0].label = { en: 'Yes', fr: 'Oui' };
    const found = gaps(form, ['en', 'fr', 'ar']);
    expect(found).toContainEqual(expect.objectContaining({ kind: 'missing_label', question: 'a', target: 'q-a-label-en', page: 0 }));
    expect(found).toContainEqual(expect.objectContaining({ kind: 'missing_translation', question: 'b', locale: 'fr', target: 'q-b-label-fr' }));
    expect(found).toContainEqual(expect.objectContaining({ kind: 'missing_translation', question: 'b', locale: 'ar', target: 'q-b-choice-0-ar' }));
    // (these fixtures' Arabic is 'Label (ar)': only a check, never a reason not to publish)
    expect(gaps(all.type_household, ['en', 'fr', 'ar']).filter((gap) => !onlyACheck(gap))).toEqual([]);
  });

  it('asks the administrator to check a translation that looks like the English left as it was, without stopping publishing', () => {
    const form = formWith([
      { ...filled('short_text', 'a'), label: { en: 'Date of birth', fr: 'Date of birth', ar: 'Date of birth' } },
      { ...filled('short_text', 'b'), label: { en: 'Photo', fr: 'Photo', ar: 'صورة' } },
      { ...filled('short_text', 'c'), label: { en: 'Your phone number', fr: 'Votre numéro de téléphone', ar: 'رقم هاتفك (SMS)' } },
    ]);
    const checks = gaps(form, ['en', 'fr', 'ar']).filter(onlyACheck);
    expect(checks.filter((gap) => gap.target.includes('-label-')).map((gap) => gap.target)).toEqual(['q-a-label-fr', 'q-a-label-ar']);
    expect(checks.every((gap) => gap.kind === 'looks_untranslated')).toBe(true);
    expect(looksUntranslated('Enter a date', 'enter  a DATE', 'fr')).toBe(true);
    expect(looksUntranslated('Name', 'Name', 'fr')).toBe(false);
  });

  it('says which questions were added, removed and changed since the published version', () => {
    const published = all.limits;
    let draft = removeQuestion(published, 0, 1);
    draft = replaceQuestion(draft, 0, 0, { ...draft.pages[0].questions[0], label: T('New label') });
    draft = { ...draft, pages: [{ ...draft.pages[0], questions: [...draft.pages[0].questions, filled('date', 'since')] }] };
    expect(changesBetween(published, draft)).toEqual({ added: ['since'], removed: ['size'], changed: ['code'] });
  });

  it('moves questions within and across pages, and pages; renaming follows conditions; removing drops them', () => {
    const form = formWith([filled('yes_no', 'a'), { ...filled('date', 'b'), condition: { question: 'a', op: 'is', values: [true] } }, filled('email', 'c')], 2);
    expect(moveQuestion(form, 0, 1, -1).pages[0].questions.map((q) => q.name)).toEqual(['b', 'a']);
    expect(moveQuestion(form, 0, 1, 1).pages.map((p) => p.questions.map((q) => q.name))).toEqual([['a'], ['b', 'c']]);
    expect(movePage(form, 1, -1).pages.map((p) => p.id)).toEqual(['page-2', 'page-1']);
    const renamed = replaceQuestion(form, 0, 0, { ...form.pages[0].questions[0], name: 'gets_support' });
    expect(renamed.pages[0].questions[1].condition?.question).toBe('gets_support');
    expect(removeQuestion(form, 0, 0).pages[0].questions[0].condition).toBeUndefined();
  });

  it('copies a bank question with its translations and a name of its own here', () => {
    const source = filled('choose_one', 'region');
    const copy = copyQuestion({ ...source, condition: { question: 'x', op: 'is', values: ['y'] } }, ['region']);
    expect(copy.name).toBe('region_1');
    expect(copy.choices).toEqual(source.choices);
    expect(copy.label).toEqual(source.label);
    expect(copy.condition).toBeUndefined();
  });

  it('the checked-in fixtures the server validates are what the builder writes today', () => {
    // vitest runs in frontend/; UPDATE_FIXTURES=1 writes the file anew after a deliberate change
    const path = resolve(process.cwd(), '../tests/forms/builder_output.json');
    const current = JSON.stringify(Object.fromEntries(Object.entries(all).map(([k, form]) => [k, toDefinition(form)])), null, 1) + '\n';
    if (process.env.UPDATE_FIXTURES || !existsSync(path)) writeFileSync(path, current);
    expect(readFileSync(path, 'utf8')).toBe(current);
  });
});
