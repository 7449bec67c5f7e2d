/**
 * How a person's details read, wherever they are shown: to the person (my details, change your
 * details) and to staff (change requests, the profile form's preview). Labels, gender, language
 * and country in the reader's language; phone numbers and email addresses left to right.
 */
import { formatDate, has, LOCALES, localized, locale, t, type Locale } from '../i18n';

/** ISO 3166-1 alpha-2 codes, named per locale by `Intl.DisplayNames`. */
const COUNTRIES =
  'AD AE AF AG AI AL AM AO AR AT AU AW AZ BA BB BD BE BF BG BH BI BJ BM BN BO BR BS BT BW BY BZ CA CD CF CG CH CI CK CL CM CN CO CR CU CV CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GH GI GL GM GN GQ GR GT GW GY HK HN HR HT HU ID IE IL IN IQ IR IS IT JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MG MH MK ML MM MN MO MR MT MU MV MW MX MY MZ NA NC NE NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SI SK SL SM SN SO SR SS ST SV SY SZ TD TG TH TJ TL TM TN TO TR TT TV TW TZ UA UG US UY UZ VA VC VE VN VU WS YE ZA ZM ZW'.split(
    ' ',
  );

/** Fields whose value reads left to right whatever the page's direction (`dir="ltr"`). */
const LEFT_TO_RIGHT = /(^|[_/])(phone|mobile|telephone|email|individual_id|postal_code)$/;

/** A field's label: the profile form's own (`labels`), else the catalog's, else its name.
 * A group's field is named `group/field` (`address/street_address`). */
export function profileFieldLabel(labels: Record<string, unknown> | undefined, name: string): string {
  const own = labels?.[name];
  if (own) return localized(own);
  const key = `profile.field.${name.replace(/\//g, '.')}`;
  if (has(key)) return t(key);
  const last = name.split('/').pop() ?? name;
  return has(`profile.field.${last}`) ? t(`profile.field.${last}`) : last.replace(/_/g, ' ');
}

/** Whether a field's value reads left to right in any language (phone, email, ID number). */
export function readsLeftToRightField(name: string): boolean {
  return LEFT_TO_RIGHT.test(name);
}

function displayNames(type: 'region' | 'language'): Intl.DisplayNames | undefined {
  try {
    return new Intl.DisplayNames([locale(), 'en'], { type, fallback: 'code' });
  } catch {
    return undefined;
  }
}

/** A country's name in the reader's language ("KE": "Kenya", "Kenya", "كينيا"). */
export function countryName(code: string): string {
  return displayNames('region')?.of(code.toUpperCase()) ?? code;
}

/** A language's name in its own language when the portal speaks it, else in the reader's. */
export function languageName(code: string): string {
  if (code in LOCALES) return LOCALES[code as Locale].name;
  try {
    return displayNames('language')?.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Every country as an option, sorted by its name in the reader's language. */
export function countryOptions(): { value: string; label: string }[] {
  const collator = new Intl.Collator(locale());
  return COUNTRIES.map((code) => ({ value: code, label: countryName(code) })).sort((a, b) => collator.compare(a.label, b.label));
}

/** The languages the portal speaks, plus the one a person already has if it is another. */
export function languageOptions(current?: unknown): { value: string; label: string }[] {
  const codes = Object.keys(LOCALES);
  if (typeof current === 'string' && current && !codes.includes(current)) codes.push(current);
  return codes.map((code) => ({ value: code, label: languageName(code) }));
}

/** A value's words for one field: gender, language and country by name. */
function fieldValueText(name: string, value: unknown): string {
  const last = name.split('/').pop() ?? name;
  if (typeof value === 'string') {
    if (last === 'gender' && has(`profile.gender.${value}`)) return t(`profile.gender.${value}`);
    if (last === 'country' && /^[A-Za-z]{2}$/.test(value)) return countryName(value);
    if ((last === 'preferred_language' || last === 'preferred_lang' || last === 'locale') && value) return languageName(value);
  }
  return profileValueText(value);
}

/** A value in words: dates in the reader's language, an address part by part, yes or no; with
 * the field's name, a gender, a language and a country by name. */
export function profileValueText(value: unknown, name?: string): string {
  if (name !== undefined) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const parts = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && v !== null && v !== '');
      return parts.length ? parts.map(([part, v]) => fieldValueText(`${name}/${part}`, v)).join(', ') : t('common.not_answered');
    }
    if (value !== undefined && value !== null && value !== '') return fieldValueText(name, value);
  }
  if (value === undefined || value === null || value === '') return t('common.not_answered');
  if (typeof value === 'object') return Object.values(value as Record<string, unknown>).filter((v) => v !== undefined && v !== null && v !== '').join(', ');
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(`${value}T00:00:00`);
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  return String(value);
}
