/** "My details" and "change your details" (issue 21): real labels and choices in three languages,
 * selects for language and country, the right required fields, phone numbers typed any way,
 * a success banner, and phone numbers left to right in Arabic. */
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useCatalogForTests, type Catalog } from '../i18n';
import en from '../i18n/en.json';
import fr from '../i18n/fr.json';
import ar from '../i18n/ar.json';
import { drawingRoot } from '../test_support/dom';
import { ProfileRoutes } from './profile';

const root = drawingRoot();
beforeEach(() => useCatalogForTests('en', en as Catalog));
afterEach(() => vi.unstubAllGlobals());

const settle = async () => {
  for (let i = 0; i < 6; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
};

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    gender: { type: 'string', enum: ['Female', 'Male', 'Other'] },
    birthdate: { type: 'string', format: 'date' },
    phone: { type: 'string', pattern: '^\\+[1-9][0-9]{6,14}$' },
    email: { type: 'string', format: 'email', maxLength: 254 },
    address: {
      type: 'object',
      additionalProperties: false,
      properties: {
        street_address: { type: 'string', maxLength: 200 },
        locality: { type: 'string', maxLength: 100 },
        region: { type: 'string', maxLength: 100 },
        postal_code: { type: 'string', maxLength: 20 },
        country: { type: 'string', pattern: '^[A-Z]{2}$' },
      },
    },
    preferred_language: { type: 'string', pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$' },
    household_size: { type: 'integer', minimum: 1, maximum: 50 },
  },
};
const LABELS = {
  name: { en: 'Full name', fr: 'Nom complet', ar: 'الاسم الكامل' },
  phone: { en: 'Phone number', fr: 'Numéro de téléphone', ar: 'رقم الهاتف' },
  address: { en: 'Address', fr: 'Adresse', ar: 'العنوان' },
};
const field = (value: unknown, verified = false) => ({ value, source: verified ? 'id_provider' : 'self', verified, in_form: true });
const PROFILE = {
  version: 3,
  individual_id: '9876543210',
  order: Object.keys(SCHEMA.properties),
  fields: {
    name: field('Amina Okafor', true),
    gender: field('Female', true),
    birthdate: field('1987-04-12', true),
    phone: field('+212600334455'),
    email: field(null),
    address: field({ locality: 'Nairobi', country: 'KE' }),
    preferred_language: field('fr'),
    household_size: field(null),
  },
  profile_form: { schema: SCHEMA, labels: LABELS },
  household: [],
};

function serve(onPatch?: (body: Record<string, unknown>) => Response) {
  const calls: [string, RequestInit | undefined][] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      calls.push([url, init]);
      if (init?.method === 'PATCH') return onPatch ? onPatch(JSON.parse(String(init.body))) : new Response(JSON.stringify({ applied: ['phone'], change_requests: [], profile: PROFILE }), { status: 200 });
      if (url.startsWith('/api/me/change-requests')) return new Response(JSON.stringify({ items: [] }), { status: 200 });
      if (url.startsWith('/api/me')) return new Response(JSON.stringify(PROFILE), { status: 200 });
      if (url.startsWith('/api/session')) return new Response(JSON.stringify({ authenticated: true, csrf_token: 'c' }), { status: 200 });
      return new Response('{}', { status: 404 });
    }),
  );
  return calls;
}

const labelOf = (id: string) => root.querySelector(`label[for="${id}"]`)?.textContent?.trim();
const submit = () => root.querySelector<HTMLFormElement>('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
const type = (id: string, value: string) => {
  const input = root.querySelector<HTMLInputElement>(`#${id}`)!;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
};

describe('change your details', () => {
  it('names every field, offers gender, language and country by name, and says only what is optional', async () => {
    serve();
    render(<ProfileRoutes path="/me/edit" />, root);
    await settle();
    expect(labelOf('f-address-street_address')).toBe('Street and house number (optional)');
    expect(root.querySelector('#s-address')?.textContent).toBe('Address');
    expect(root.textContent).not.toContain('street_address');
    expect(labelOf('f-name')).toBe('Full name');
    expect(labelOf('f-phone')).toBe('Phone number (optional)');
    const country = root.querySelector<HTMLSelectElement>('select#f-address-country')!;
    expect(country.value).toBe('KE');
    expect(country.selectedOptions[0].textContent).toBe('Kenya');
    expect(country.options.length).toBeGreaterThan(190);
    const language = root.querySelector<HTMLSelectElement>('select#f-preferred_language')!;
    expect([...language.options].map((o) => o.textContent)).toEqual(['Select an option', 'English', 'Français', 'العربية']);
    expect(language.value).toBe('fr');
    const phone = root.querySelector<HTMLInputElement>('#f-phone')!;
    expect([phone.type, phone.dir, phone.getAttribute('autocomplete')]).toEqual(['tel', 'ltr', 'tel']);
  });

  it('in French and Arabic too, gender options included', async () => {
    useCatalogForTests('fr', fr as Catalog);
    serve();
    render(<ProfileRoutes path="/me/edit" />, root);
    await settle();
    expect([...root.querySelectorAll<HTMLOptionElement>('#f-gender option')].map((o) => o.textContent)).toEqual(['Sélectionnez une option', 'Femme', 'Homme', 'Autre']);
    expect(labelOf('f-address-locality')).toBe('Ville ou localité (facultatif)');
    expect(root.querySelector<HTMLSelectElement>('#f-address-country')!.selectedOptions[0].textContent).toBe('Kenya');
    useCatalogForTests('ar', ar as Catalog);
    render(null, root);
    render(<ProfileRoutes path="/me/edit" />, root);
    await settle();
    expect([...root.querySelectorAll<HTMLOptionElement>('#f-gender option')].slice(1).map((o) => o.textContent)).toEqual(['أنثى', 'ذكر', 'آخر']);
    expect(labelOf('f-address-postal_code')).toBe('الرمز البريدي (اختياري)');
    expect(root.querySelector<HTMLSelectElement>('#f-address-country')!.selectedOptions[0].textContent).toBe('كينيا');
  });

  it('sends a phone number typed with spaces and dashes as digits, then my details says it was saved', async () => {
    const calls = serve();
    render(<ProfileRoutes path="/me/edit" />, root);
    await settle();
    type('f-phone', '+212 600-33-44-56');
    await settle();
    submit();
    await settle();
    const patch = calls.find(([, init]) => init?.method === 'PATCH');
    expect(JSON.parse(String(patch?.[1]?.body))).toEqual({ phone: '+212600334456' });
    render(<ProfileRoutes path="/me" />, root);
    await settle();
    const banner = root.querySelector('.govuk-notification-banner--success');
    expect(banner?.textContent).toContain('Your details have been updated.');
    render(null, root);
    render(<ProfileRoutes path="/me" />, root);
    await settle();
    expect(root.querySelector('.govuk-notification-banner--success')).toBeNull(); // said once
  });

  it('says exactly what is wrong with a phone number and an empty name, without a "Label:" before it', async () => {
    const calls = serve();
    render(<ProfileRoutes path="/me/edit" />, root);
    await settle();
    type('f-phone', '0712 345 678');
    type('f-name', '');
    await settle();
    submit();
    await settle();
    expect(calls.some(([, init]) => init?.method === 'PATCH')).toBe(false);
    const summary = [...root.querySelectorAll('.govuk-error-summary a')].map((a) => a.textContent);
    expect(summary).toEqual(['Enter full name', 'Enter a phone number with its country code, like +254 712 345 678']);
  });
});

describe('my details', () => {
  it('reads a phone number left to right in Arabic, and gender, language and country by name', async () => {
    useCatalogForTests('ar', ar as Catalog);
    serve();
    render(<ProfileRoutes path="/me" />, root);
    await settle();
    const phone = [...root.querySelectorAll('bdi[dir="ltr"]')].find((b) => b.textContent === '+212600334455');
    expect(phone).toBeDefined();
    const text = root.textContent ?? '';
    expect(text).toContain('أنثى');
    expect(text).toContain('كينيا');
    expect(text).toContain('Français');
    // The address a part a line, not joined by commas that Arabic and Latin parts reorder.
    expect([...root.querySelectorAll('.ssp-lines > span')].map((line) => line.textContent)).toEqual(['Nairobi', 'كينيا']);
  });

  it('in French, a space before the colon', async () => {
    useCatalogForTests('fr', fr as Catalog);
    serve();
    render(<ProfileRoutes path="/me" />, root);
    await settle();
    expect(root.textContent).toContain('Source\u00a0: Identité nationale'.replace('Identité nationale', (fr as Catalog)['profile.source.id_provider'] as string));
    expect(root.textContent).not.toMatch(/Source:/);
  });
});
