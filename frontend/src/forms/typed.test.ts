/** What people type is accepted (issue 21): phone numbers written any way, digits of an Arabic
 * keyboard, month names, and the GOV.UK date problems each said plainly. */
import { afterEach, describe, expect, it } from 'vitest';
import { buildModel, setTodayForTests, toAnswer, validateFields } from './model';

const form = buildModel(
  {
    type: 'object',
    required: ['birth_date', 'children'],
    properties: {
      phone: { type: 'string', pattern: '^\\+?[0-9]{7,15}$' },
      contact: { type: 'string', maxLength: 30 },
      children: { type: 'integer', minimum: 0, maximum: 20 },
      income: { type: 'number' },
      birth_date: { type: 'string', format: 'date' },
      moved_in: { type: 'string', format: 'date' },
      id_number: { type: 'string', pattern: '^[0-9]{8}$' },
      notes: { type: 'string' },
    },
  },
  { fields: { '/contact': { widget: 'text', label: { en: 'Contact' }, autocomplete: 'tel' } } },
);
const f = form.fields;

afterEach(() => setTodayForTests(undefined));

describe('what people type', () => {
  it('takes a phone number with spaces, dashes, brackets or Arabic-Indic digits, and sends it plain', () => {
    for (const typed of ['0712 345 678', '0712-345-678', '(0712) 345 678', '٠٧١٢ ٣٤٥ ٦٧٨', '۰۷۱۲ ۳۴۵ ۶۷۸']) {
      expect(toAnswer(f['/phone'], typed)).toEqual({ value: '0712345678' });
    }
    expect(toAnswer(f['/phone'], '+212 600-33-44-55')).toEqual({ value: '+212600334455' });
    expect(validateFields(form, { phone: toAnswer(f['/phone'], '+212 (600) 33 44 55').value }, ['/phone'])).toEqual({});
  });

  it('knows a phone question by its autocomplete token as well as by its name, and asks for a phone keyboard', () => {
    expect(f['/contact'].phone).toBe(true);
    expect(toAnswer(f['/contact'], '0712 345 678')).toEqual({ value: '0712345678' });
    expect(f['/phone'].inputmode).toBe('tel');
    expect(f['/phone'].autocomplete).toBe('tel');
    expect(f['/notes'].phone).toBe(false);
  });

  it('reads Arabic-Indic and Persian digits in numbers, with the Arabic decimal separator', () => {
    expect(toAnswer(f['/children'], '٣')).toEqual({ value: 3 });
    expect(toAnswer(f['/children'], '۱۲')).toEqual({ value: 12 });
    expect(toAnswer(f['/income'], '٢٫٥')).toEqual({ value: 2.5 });
    expect(toAnswer(f['/income'], '2,5')).toEqual({ value: 2.5 });
    expect(toAnswer(f['/children'], '3 children').error).toEqual({ code: 'wrong_type' });
    expect(toAnswer(f['/children'], '2.5').error).toEqual({ code: 'wrong_type' });
  });

  it('reads Arabic digits in a patterned answer, and leaves free text as typed', () => {
    expect(toAnswer(f['/id_number'], '١٢٣٤٥٦٧٨')).toEqual({ value: '12345678' });
    expect(toAnswer(f['/notes'], 'flat ٣')).toEqual({ value: 'flat ٣' });
  });
});

describe('dates as people write them', () => {
  const date = (day: string, month: string, year: string) => toAnswer(f['/moved_in'], { day, month, year });

  it('accepts Arabic-Indic and Persian digits', () => {
    expect(date('٢٧', '٣', '٢٠١٩')).toEqual({ value: '2019-03-27' });
    expect(date('۲۷', '۰۳', '۲۰۱۹')).toEqual({ value: '2019-03-27' });
  });

  it('accepts month names in English, French and Arabic, whole or short', () => {
    for (const month of ['March', 'mar', 'MARS', 'mars', 'مارس', 'آذار', 'اذار']) expect(date('27', month, '2019')).toEqual({ value: '2019-03-27' });
    expect(date('1', 'févr.', '2020')).toEqual({ value: '2020-02-01' });
    expect(date('1', 'Sept', '2020')).toEqual({ value: '2020-09-01' });
    expect(date('1', 'août', '2020')).toEqual({ value: '2020-08-01' });
    expect(date('1', 'أغسطس', '2020')).toEqual({ value: '2020-08-01' });
    expect(date('1', 'تشرين الأول', '2020')).toEqual({ value: '2020-10-01' });
    expect(date('1', 'jui', '2020').error).toEqual({ code: 'not_a_date' }); // juin or juillet?
  });

  it('says which part is missing, refuses a two-digit year and an impossible date', () => {
    expect(date('27', '3', '').error).toEqual({ code: 'date_missing', missing: 'year' });
    expect(date('', '3', '').error).toEqual({ code: 'date_missing', missing: 'day_year' });
    expect(date('27', '3', '19').error).toEqual({ code: 'year_two_digits' });
    expect(date('31', '2', '2019').error).toEqual({ code: 'not_a_date' });
    expect(date('27', '13', '2019').error).toEqual({ code: 'not_a_date' });
  });

  it('refuses a date of birth in the future, not another date', () => {
    setTodayForTests('2026-12-06');
    expect(f['/birth_date'].pastOnly).toBe(true);
    expect(validateFields(form, { birth_date: '2031-06-05' }, ['/birth_date'])).toEqual({ '/birth_date': { code: 'in_future' } });
    expect(validateFields(form, { birth_date: '2026-12-06' }, ['/birth_date'])).toEqual({});
    expect(validateFields(form, { moved_in: '2031-06-05' }, ['/moved_in'])).toEqual({});
  });
});
