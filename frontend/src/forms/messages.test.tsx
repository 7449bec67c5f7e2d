/** Say exactly what is wrong (issue 21): field-specific messages the GOV.UK way, in en/fr/ar,
 * the form's own messages first, the autocomplete token on the input, and details from the
 * national ID shown as text with how to correct them. */
import { render } from 'preact';
import { beforeEach, describe, expect, it } from 'vitest';
import { useCatalogForTests } from '../i18n';
import en from '../i18n/en.json';
import fr from '../i18n/fr.json';
import ar from '../i18n/ar.json';
import { buildModel, requiredFields, toRaw, type RawValue } from './model';
import { errorText, FormFields } from './render';
import { drawingRoot } from '../test_support/dom';

const T = (en: string, fr: string, ar: string) => ({ en, fr, ar });
const model = buildModel(
  {
    type: 'object',
    required: ['name', 'birth_date', 'phone', 'children'],
    properties: {
      name: { type: 'string', minLength: 1 },
      birth_date: { type: 'string', format: 'date' },
      phone: { type: 'string', pattern: '^\\+?[0-9]{7,15}$' },
      mobile: { type: 'string', pattern: '^\\+[0-9]{7,15}$' },
      email: { type: 'string', format: 'email' },
      children: { type: 'integer', minimum: 0 },
      income: { type: 'number' },
      code: { type: 'string', pattern: '^[A-Z]{3}$' },
    },
  },
  {
    fields: {
      '/name': { widget: 'text', label: T('Full name', 'Nom complet', 'الاسم الكامل'), autocomplete: 'name' },
      '/birth_date': { widget: 'date', label: T('Date of birth', 'Date de naissance', 'تاريخ الميلاد'), autocomplete: 'bday' },
      '/phone': { widget: 'text', label: T('Phone number', 'Numéro de téléphone', 'رقم الهاتف') },
      '/mobile': { widget: 'text', label: T('Mobile', 'Portable', 'الجوال') },
      '/email': { widget: 'text', label: T('Email address', 'Adresse e-mail', 'البريد الإلكتروني') },
      '/children': { widget: 'number', label: T('Number of children', 'Nombre d’enfants', 'عدد الأطفال') },
      '/income': { widget: 'number', label: T('Income', 'Revenu', 'الدخل') },
      '/code': { widget: 'text', label: T('Office code', 'Code du bureau', 'رمز المكتب'), errors: { wrong_format: T('Enter the 3 letters on your letter, like KSM', 'Saisissez les 3 lettres de votre courrier, par exemple KSM', 'أدخل الأحرف الثلاثة المكتوبة في رسالتك، مثل KSM') } },
    },
  },
);
const f = model.fields;
const root = drawingRoot();

function draw(names: string[], raw: Record<string, RawValue> = {}, readOnly?: Set<string>) {
  render(<FormFields model={model} names={names} raw={raw} errors={{}} required={requiredFields(model, {})} readOnly={readOnly} onChange={() => undefined} />, root);
}

beforeEach(() => useCatalogForTests('en', en));

describe('messages that say exactly what is wrong', () => {
  it('in English', () => {
    expect(errorText(f['/phone'], { code: 'wrong_format' })).toBe('Enter a phone number, like 0712 345 678');
    expect(errorText(f['/mobile'], { code: 'wrong_format' })).toBe('Enter a phone number with its country code, like +254 712 345 678');
    expect(errorText(f['/email'], { code: 'wrong_format' })).toBe('Enter an email address in the correct format, like name@example.com');
    expect(errorText(f['/children'], { code: 'wrong_type' })).toBe('Enter a whole number, like 3');
    expect(errorText(f['/income'], { code: 'wrong_type' })).toBe('Enter a number, like 2.5');
    expect(errorText(f['/birth_date'], { code: 'date_missing', missing: 'year' })).toBe('Date of birth must include a year');
    expect(errorText(f['/birth_date'], { code: 'date_missing', missing: 'day_month' })).toBe('Date of birth must include a day and month');
    expect(errorText(f['/birth_date'], { code: 'year_two_digits' })).toBe('The year of date of birth must have 4 numbers, like 1987');
    expect(errorText(f['/birth_date'], { code: 'in_future' })).toBe('Date of birth must be in the past');
    expect(errorText(f['/birth_date'], { code: 'required' })).toBe('Enter date of birth');
    expect(errorText(f['/children'], { code: 'too_small', limit: 0 })).toBe('Number of children must be 0 or more');
  });

  it('in French, with the label between « » and a space before a colon nowhere needed', () => {
    useCatalogForTests('fr', fr);
    expect(errorText(f['/phone'], { code: 'wrong_format' })).toBe('Saisissez un numéro de téléphone, par exemple 0712 345 678');
    expect(errorText(f['/birth_date'], { code: 'in_future' })).toBe('«\u00a0Date de naissance\u00a0» doit être dans le passé');
    expect(errorText(f['/name'], { code: 'required' })).toBe('Renseignez «\u00a0Nom complet\u00a0»');
    expect(errorText(f['/children'], { code: 'wrong_type' })).toBe('Saisissez un nombre entier, par exemple 3');
  });

  it('in Arabic', () => {
    useCatalogForTests('ar', ar);
    expect(errorText(f['/birth_date'], { code: 'date_missing', missing: 'year' })).toBe('يجب أن يتضمن تاريخ الميلاد السنة');
    expect(errorText(f['/name'], { code: 'required' })).toBe('أدخل الاسم الكامل');
    expect(errorText(f['/phone'], { code: 'wrong_format' })).toBe('أدخل رقم هاتف، مثل \u20660712 345 678\u2069');
  });

  it('takes the form’s own message for a code, in the reader’s language', () => {
    expect(errorText(f['/code'], { code: 'wrong_format' })).toBe('Enter the 3 letters on your letter, like KSM');
    useCatalogForTests('ar', ar);
    expect(errorText(f['/code'], { code: 'wrong_format' })).toBe('أدخل الأحرف الثلاثة المكتوبة في رسالتك، مثل KSM');
    expect(errorText(f['/code'], { code: 'required' })).toBe('أدخل رمز المكتب');
  });

  it('sets the form’s autocomplete token on the input, and a phone keyboard reading left to right', () => {
    draw(['/name', '/phone', '/email', '/birth_date']);
    expect(root.querySelector('#f-name')?.getAttribute('autocomplete')).toBe('name');
    expect(root.querySelector('#f-name')?.getAttribute('dir')).toBe('auto'); // "7 Rue des Orangers" keeps its order on an Arabic page
    const phone = root.querySelector<HTMLInputElement>('#f-phone');
    expect([phone?.type, phone?.getAttribute('autocomplete'), phone?.inputMode, phone?.dir]).toEqual(['tel', 'tel', 'tel', 'ltr']);
    expect(root.querySelector('#f-email')?.getAttribute('dir')).toBe('ltr');
    expect(root.querySelector('#f-birth_date-year')?.getAttribute('autocomplete')).toBe('bday-year');
    // Typed in Arabic-Indic digits, a number's groups read right to left, as typed.
    draw(['/phone'], { '/phone': '٠٧١٢ ٣٤٥ ٦٧٨' });
    expect(root.querySelector('#f-phone')?.getAttribute('dir')).toBe('rtl');
  });
});

describe('details the national ID gave', () => {
  it('are text marked “From your national ID” with how to correct them, not boxes', () => {
    draw(['/name', '/birth_date', '/phone'], { '/name': 'Amina Okafor', '/birth_date': toRaw(f['/birth_date'], '1987-04-12'), '/phone': '' }, new Set(['/name', '/birth_date']));
    expect(root.querySelector('#f-name')?.tagName).toBe('DIV');
    expect(root.querySelector('input#f-name, input#f-birth_date-day')).toBeNull();
    const text = root.textContent ?? '';
    expect(text).toContain('Amina Okafor');
    expect(text).toContain('12 April 1987');
    expect(root.querySelectorAll('.govuk-tag').length).toBe(2);
    expect(text).toContain('From your national ID');
    expect(text).toContain('ask the national ID office to correct your record');
    expect(root.querySelector('input#f-phone')).not.toBeNull();
  });

  it('in Arabic too', () => {
    useCatalogForTests('ar', ar);
    draw(['/name'], { '/name': 'أمينة' }, new Set(['/name']));
    expect(root.textContent).toContain('من هويتك الوطنية');
  });
});
