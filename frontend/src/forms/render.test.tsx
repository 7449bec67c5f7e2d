import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useCatalogForTests } from '../i18n';
import en from '../i18n/en.json';
import fr from '../i18n/fr.json';
import { buildModel, requiredFields, type RawValue } from './model';
import { errorText, FormFields } from './render';
import { householdForm } from './fixtures';

const model = buildModel(householdForm.schema, householdForm.ui_schema);
let root: HTMLElement;

function draw(names: string[], errors: Record<string, string | undefined> = {}, raw: Record<string, RawValue> = {}) {
  render(<FormFields model={model} names={names} raw={raw} errors={errors} required={requiredFields(model, {})} onChange={() => undefined} />, root);
}

beforeEach(() => {
  useCatalogForTests('en', en);
  root = document.createElement('div');
  document.body.appendChild(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

describe('the renderer', () => {
  it('labels each input and marks optional questions "(optional)", never with an asterisk', () => {
    draw(['/full_name', '/notes']);
    const name = root.querySelector<HTMLLabelElement>('label[for="f-full_name"]');
    expect(name?.textContent).toBe('Full name');
    expect(root.querySelector('label[for="f-notes"]')?.textContent).toBe('Anything else? (optional)');
    expect(root.querySelector('textarea#f-notes')).not.toBeNull();
    expect(root.textContent).not.toContain('*');
  });

  it('draws a date as day, month and year inputs in a fieldset', () => {
    draw(['/birth_date'], {}, { '/birth_date': { day: '7', month: '3', year: '1990' } });
    const inputs = [...root.querySelectorAll<HTMLInputElement>('fieldset input')];
    expect(inputs.map((i) => i.id)).toEqual(['f-birth_date-day', 'f-birth_date-month', 'f-birth_date-year']);
    expect(inputs.map((i) => i.value)).toEqual(['7', '3', '1990']);
    expect(inputs.every((i) => i.inputMode === 'numeric')).toBe(true);
  });

  it('ties an error message to its input and shows it in the field group', () => {
    draw(['/household/size'], { '/household/size': 'Enter a number' });
    const input = root.querySelector<HTMLInputElement>('#f-household-size');
    const describedBy = input?.getAttribute('aria-describedby')?.split(' ') ?? [];
    expect(describedBy).toContain('f-household-size-error');
    expect(describedBy).toContain('f-household-size-hint');
    expect(root.querySelector('#f-household-size-error')?.textContent).toContain('Enter a number');
    expect(root.querySelector('.govuk-form-group--error')).not.toBeNull();
  });

  it('draws radios, checkboxes and a select from the options', () => {
    draw(['/employed', '/needs', '/region']);
    expect([...root.querySelectorAll('input[type=radio]')].map((i) => (i as HTMLInputElement).value)).toEqual(['true', 'false']);
    expect([...root.querySelectorAll('input[type=checkbox]')].map((i) => (i as HTMLInputElement).value)).toEqual(['food', 'housing', 'health']);
    expect([...root.querySelectorAll('select option')].map((o) => o.textContent)).toEqual(['Select an option', 'North', 'South']);
  });

  it('speaks the reader’s language, labels and errors alike', () => {
    useCatalogForTests('fr', fr);
    draw(['/region']);
    expect(root.querySelector('label[for="f-region"]')?.textContent).toBe('Region (facultatif)');
    expect([...root.querySelectorAll('select option')].map((o) => o.textContent)).toEqual(['Sélectionnez une option', 'Nord', 'Sud']);
    expect(errorText(model.fields['/household/size'], { code: 'too_large', limit: 30 })).toBe('Saisissez un nombre inférieur ou égal à 30');
  });

  it('uses the GOV.UK wording per kind of question', () => {
    expect(errorText(model.fields['/employed'], { code: 'required' })).toBe('Select an option');
    expect(errorText(model.fields['/birth_date'], { code: 'wrong_format' })).toBe('Enter a real date');
    expect(errorText(model.fields['/id_card'], { code: 'required' })).toBe('Select a file');
    expect(errorText(model.fields['/needs'], { code: 'required' })).toBe('Select at least one option');
  });
});
