import { render } from 'preact';
import { beforeEach, describe, expect, it } from 'vitest';
import { useCatalogForTests } from '../i18n';
import en from '../i18n/en.json';
import fr from '../i18n/fr.json';
import { buildModel, requiredFields, toAnswer, type RawValue } from './model';
import { errorText, FormFields, type DocumentSlotProps } from './render';
import { householdForm } from './fixtures';
import { drawingRoot } from '../test_support/dom';

const model = buildModel(householdForm.schema, householdForm.ui_schema);
const root = drawingRoot();

function draw(names: string[], errors: Record<string, string | undefined> = {}, raw: Record<string, RawValue> = {}) {
  render(<FormFields model={model} names={names} raw={raw} errors={errors} required={requiredFields(model, {})} onChange={() => undefined} />, root);
}

beforeEach(() => {
  useCatalogForTests('en', en);
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
    expect(errorText(model.fields['/household/size'], { code: 'too_large', limit: 30 })).toBe('«\u00a0How many people live with you?\u00a0» doit être inférieur ou égal à 30');
    expect(errorText(model.fields['/birth_date'], { code: 'date_missing', missing: 'year' })).toBe('«\u00a0Date de naissance\u00a0» doit comporter une année');
  });

  it('uses the GOV.UK wording per kind of question, naming the question', () => {
    expect(errorText(model.fields['/employed'], { code: 'required' })).toBe('Answer “Are you employed?”');
    expect(errorText(model.fields['/region'], { code: 'required' })).toBe('Select an answer for “Region”');
    expect(errorText(model.fields['/full_name'], { code: 'required' })).toBe('Enter full name');
    expect(errorText(model.fields['/national_id'], { code: 'required' })).toBe('Enter national ID number');
    expect(errorText(model.fields['/birth_date'], { code: 'not_a_date' })).toBe('Date of birth must be a real date');
    expect(errorText(model.fields['/id_card'], { code: 'required' })).toBe('Upload a photo of your ID card');
    expect(errorText(model.fields['/needs'], { code: 'required' })).toBe('Answer “What do you need help with?”');
    expect(errorText(model.fields['/full_name'], { code: 'too_long', limit: 100 })).toBe('Full name must be 100 characters or fewer');
  });
});

describe('sections: groups of questions', () => {
  const grouped = buildModel(
    {
      type: 'object',
      properties: {
        name: { type: 'string' },
        address: {
          type: 'object',
          title: { en: 'Your address', fr: 'Votre adresse' },
          description: { en: 'Where you live now' },
          properties: {
            street: { type: 'string' },
            town: { type: 'string' },
            landlord: { type: 'object', title: { en: 'Your landlord' }, properties: { landlord_name: { type: 'string' } } },
          },
        },
        untitled: { type: 'object', properties: { extra: { type: 'string' } } },
        notes: { type: 'string' },
      },
    },
    {
      fields: {
        '/name': { label: { en: 'Name' } },
        '/address/street': { label: { en: 'Street' } },
        '/address/town': { label: { en: 'Town' } },
        '/address/landlord/landlord_name': { label: { en: 'Landlord’s name' } },
        '/untitled/extra': { label: { en: 'Extra' } },
        '/notes': { label: { en: 'Notes' } },
      },
    },
  );
  const names = ['/name', '/address/street', '/address/town', '/address/landlord/landlord_name', '/untitled/extra', '/notes'];

  it('draws a group as a fieldset whose legend is the group’s title as a heading, nested groups one level down', () => {
    render(<FormFields model={grouped} names={names} raw={{}} errors={{}} required={new Set()} onChange={() => undefined} />, root);
    const sections = [...root.querySelectorAll<HTMLFieldSetElement>('fieldset.ssp-section')];
    expect(sections.length).toBe(2);
    const [address, landlord] = sections;
    expect(address.querySelector(':scope > legend h2')?.textContent).toBe('Your address');
    expect(address.querySelector(':scope > .govuk-hint')?.textContent).toBe('Where you live now');
    expect(address.getAttribute('aria-describedby')).toBe(address.querySelector(':scope > .govuk-hint')?.id);
    expect([...address.querySelectorAll('input')].map((i) => i.id)).toEqual(['f-address-street', 'f-address-town', 'f-address-landlord-landlord_name']);
    expect(landlord.parentElement?.closest('fieldset')).toBe(address);
    expect(landlord.querySelector('legend h3')?.textContent).toBe('Your landlord');
    // Questions outside any titled group stay outside every section, in their order.
    for (const id of ['f-name', 'f-untitled-extra', 'f-notes']) expect(root.querySelector(`#${id}`)?.closest('fieldset')).toBeNull();
    expect([...root.querySelectorAll('input')].map((i) => i.id)).toEqual(names.map((n) => `f${n.replace(/\//g, '-')}`));
    // Inside a section the labels are a size smaller than its heading.
    expect(root.querySelector('label[for="f-address-street"]')?.className).toContain('govuk-label--s');
    expect(root.querySelector('label[for="f-name"]')?.className).toContain('govuk-label--m');
  });

  it('names the section in the reader’s language, and the fixture’s household too', () => {
    useCatalogForTests('fr', fr);
    render(<FormFields model={grouped} names={['/address/street']} raw={{}} errors={{}} required={new Set()} onChange={() => undefined} />, root);
    expect(root.querySelector('legend h2')?.textContent).toBe('Votre adresse');
    draw(['/household/size', '/region']);
    expect(root.querySelector('#f-household-size')?.closest('fieldset.ssp-section')?.querySelector('legend')?.textContent).toBe('Votre foyer');
    expect(root.querySelector('#f-region')?.closest('fieldset.ssp-section')).toBeNull();
  });

  it('draws no section around the one question of a page whose heading it is', () => {
    render(<FormFields model={grouped} names={['/address/town']} raw={{}} errors={{}} required={new Set()} asHeading onChange={() => undefined} />, root);
    expect(root.querySelector('fieldset')).toBeNull();
    expect(root.querySelector('h1 label[for="f-address-town"]')).not.toBeNull();
  });
});

describe('answering checkboxes, a select and a document question', () => {
  function answering(names: string[], Document?: (props: DocumentSlotProps) => preact.JSX.Element) {
    const changes: Record<string, RawValue> = {};
    const draw = (raw: Record<string, RawValue>) =>
      render(<FormFields model={model} names={names} raw={raw} errors={{}} required={requiredFields(model, {})} onChange={(n, v) => ((changes[n] = v), draw({ ...raw, [n]: v }))} Document={Document} />, root);
    draw({});
    return changes;
  }

  it('ticks and unticks checkboxes into a list of the chosen values', () => {
    const changes = answering(['/needs']);
    const box = (value: string) => root.querySelector<HTMLInputElement>(`input[type=checkbox][value="${value}"]`)!;
    expect(root.querySelector('legend')?.textContent).toBe('What do you need help with? (optional)');
    box('housing').click();
    box('food').click();
    expect(changes['/needs']).toEqual(['housing', 'food']);
    expect(box('food').checked && box('housing').checked && !box('health').checked).toBe(true);
    box('housing').click();
    expect(changes['/needs']).toEqual(['food']);
    expect(toAnswer(model.fields['/needs'], changes['/needs']).value).toEqual(['food']);
    expect(toAnswer(model.fields['/needs'], []).value).toBeUndefined();
  });

  it('chooses in a select, and a single checkbox answers true or nothing', () => {
    const changes = answering(['/region']);
    const select = root.querySelector<HTMLSelectElement>('select#f-region')!;
    select.value = 'south';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    expect(changes['/region']).toBe('south');
    expect(toAnswer(model.fields['/region'], 'south').value).toBe('south');
    const consent = buildModel({ type: 'object', properties: { agree: { type: 'boolean' } } }, { fields: { '/agree': { widget: 'checkbox', label: { en: 'I agree' } } } });
    const raw: Record<string, RawValue> = {};
    render(<FormFields model={consent} names={['/agree']} raw={raw} errors={{}} required={new Set()} onChange={(n, v) => (raw[n] = v)} />, root);
    root.querySelector<HTMLInputElement>('#f-agree')!.click();
    expect(raw['/agree']).toBe('true');
    expect(toAnswer(consent.fields['/agree'], 'true').value).toBe(true);
    expect(toAnswer(consent.fields['/agree'], '').value).toBeUndefined();
  });

  it('hands a document question to the page’s upload slot, whose answer is the document’s id', () => {
    const seen: DocumentSlotProps[] = [];
    const changes = answering(['/id_card'], (props) => {
      seen.push(props);
      return (
        <button type="button" id={props.id} onClick={() => props.onChange('doc-123')}>
          upload
        </button>
      );
    });
    expect(seen[0].field.documentKind).toBe('id-card');
    expect(seen[0].field.accept).toEqual(['application/pdf', 'image/jpeg', 'image/png']);
    expect(root.querySelector('label[for="f-id_card"]')?.textContent).toBe('A photo of your ID card (optional)');
    root.querySelector<HTMLButtonElement>('#f-id_card')!.click();
    expect(changes['/id_card']).toBe('doc-123');
    expect(toAnswer(model.fields['/id_card'], 'doc-123').value).toBe('doc-123');
  });
});

