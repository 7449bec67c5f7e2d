import { render } from 'preact';
import { beforeEach, describe, expect, it } from 'vitest';
import { useCatalogForTests } from '../i18n';
import en from '../i18n/en.json';
import { buildModel, requiredFields, statementsAmong, visibleFields } from './model';
import { FormFields } from './render';
import { drawingRoot } from '../test_support/dom';

// A page as the form builder writes it: a statement before the questions, one between a choice
// and the question it shows, one at the end.
const schema = {
  type: 'object',
  properties: { has_children: { type: 'boolean' }, children_count: { type: 'integer' }, phone: { type: 'string' } },
  if: { properties: { has_children: { const: true } }, required: ['has_children'] },
  then: { required: ['children_count'] },
};
const uiSchema = {
  pages: [{ id: 'about', title: { en: 'About you' }, fields: ['/intro', '/has_children', '/about_children', '/children_count', '/phone', '/privacy'] }],
  fields: {
    '/intro': { widget: 'statement', label: { en: 'Before you start' }, text: { en: 'You need your ID card.\n\nIt takes 10 minutes.' } },
    '/has_children': { widget: 'radio', label: { en: 'Do you have children?' }, options: { true: { en: 'Yes' }, false: { en: 'No' } } },
    '/about_children': { widget: 'statement', text: { en: 'Count every child under 18 living with you.' } },
    '/children_count': { widget: 'number', label: { en: 'How many?' } },
    '/phone': { widget: 'text', label: { en: 'Phone number' } },
    '/privacy': { widget: 'statement', text: { en: 'We keep your phone number only for this application.' } },
  },
};
const model = buildModel(schema, uiSchema);
const root = drawingRoot();

function draw(answers: Record<string, unknown>) {
  const page = model.pages[0];
  const visible = visibleFields(model, answers);
  const names = page.fields.filter((n) => visible.has(n));
  render(<FormFields model={model} names={names} raw={{}} errors={{}} required={requiredFields(model, answers)} statements={statementsAmong(model, page, names)} onChange={() => undefined} />, root);
}

beforeEach(() => useCatalogForTests('en', en));

describe("a form's statements on the person's page", () => {
  it('are not questions: nothing to answer, nothing required', () => {
    expect(model.pages[0].fields).toEqual(['/has_children', '/children_count', '/phone']);
    expect(Object.keys(model.statements)).toEqual(['/intro', '/about_children', '/privacy']);
  });

  it('are read where the form places them, with their heading and paragraphs', () => {
    draw({ has_children: true });
    const text = root.textContent ?? '';
    expect(root.querySelector('h2')?.textContent).toBe('Before you start');
    expect([...root.querySelectorAll('.ssp-statement p')].map((p) => p.textContent)).toEqual([
      'You need your ID card.',
      'It takes 10 minutes.',
      'Count every child under 18 living with you.',
      'We keep your phone number only for this application.',
    ]);
    expect(text.indexOf('Do you have children?')).toBeLessThan(text.indexOf('Count every child'));
    expect(text.indexOf('Count every child')).toBeLessThan(text.indexOf('How many?'));
    expect(text.indexOf('Phone number')).toBeLessThan(text.indexOf('We keep your phone number'));
  });

  it('before a question not asked, move on to the next question shown', () => {
    draw({ has_children: false });
    const text = root.textContent ?? '';
    expect(text).not.toContain('How many?');
    expect(text.indexOf('Count every child')).toBeGreaterThan(text.indexOf('Do you have children?'));
    expect(text.indexOf('Count every child')).toBeLessThan(text.indexOf('Phone number'));
  });

  it('keep a phone number in Arabic text in its order (isolated left to right)', () => {
    const arabic = buildModel(schema, { ...uiSchema, fields: { ...uiSchema.fields, '/intro': { widget: 'statement', text: { en: 'اتصل بالرقم 0712 345 678 إذا احتجت إلى مساعدة.' } } } });
    const page = arabic.pages[0];
    render(<FormFields model={arabic} names={page.fields} raw={{}} errors={{}} required={new Set()} statements={statementsAmong(arabic, page, page.fields)} onChange={() => undefined} />, root);
    expect(root.querySelector('.ssp-statement p')?.textContent).toBe('اتصل بالرقم \u20660712 345 678\u2069 إذا احتجت إلى مساعدة.');
  });
});
