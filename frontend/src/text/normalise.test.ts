/** The browser normalises what people type as the server does (the same examples as tests/forms/test_typed.py). */
import { describe, expect, it } from 'vitest';
import examples from './typed_examples.json';
import { asciiDigits, isPhone, phoneNumber } from './normalise';

describe('typed values, as the server reads them', () => {
  it.each(examples.digits)('%s has ASCII digits %s', (typed, expected) => expect(asciiDigits(typed)).toBe(expected));
  it.each(examples.phones)('the phone number %s is %s', (typed, expected) => expect(phoneNumber(typed)).toBe(expected));
  it.each(examples.dates)('the date %s is %s', (typed, expected) => expect(asciiDigits(typed).trim()).toBe(expected));
  it('knows a phone question as the server does', () => {
    const text = { type: 'string' };
    expect(isPhone('phone', text)).toBe(true);
    expect(isPhone('mobile_number', text)).toBe(true);
    expect(isPhone('contact', text, 'section-home tel-national')).toBe(true);
    expect(isPhone('telephone_owner', text, 'name')).toBe(false);
    expect(isPhone('phone_type', { type: 'string', enum: ['mobile'] })).toBe(false);
    expect(isPhone('full_name', text)).toBe(false);
  });
});
