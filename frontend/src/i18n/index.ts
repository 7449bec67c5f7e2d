/**
 * Every visible text comes from a message catalog (en.json, fr.json, ar.json): plain strings
 * with `{name}` placeholders, or plural forms keyed by Intl.PluralRules categories. English is
 * bundled (it is also the fallback); other languages load on demand as their own small chunk.
 */
import en from './en.json';

export type Locale = 'en' | 'fr' | 'ar';
type Message = string | Partial<Record<Intl.LDMLPluralRule, string>>;
export type Catalog = Record<string, Message>;

export const LOCALES: Record<Locale, { name: string; dir: 'ltr' | 'rtl' }> = {
  en: { name: 'English', dir: 'ltr' },
  fr: { name: 'Français', dir: 'ltr' },
  ar: { name: 'العربية', dir: 'rtl' },
};
const STORAGE_KEY = 'ssp-lang'; // also read by public/boot.js before the first paint

const loaders: Record<Locale, () => Promise<Catalog>> = {
  en: async () => en as Catalog,
  fr: async () => (await import('./fr.json')).default as Catalog,
  ar: async () => (await import('./ar.json')).default as Catalog,
};

let current: Locale = 'en';
let catalog: Catalog = en as Catalog;
/** Catalogs a lazily loaded part of the app brings along (the staff console's form builder): merged into each locale's. */
const extensions: Record<Locale, () => Promise<Catalog>>[] = [];
let extensionsEn: Catalog = {};
let plurals = new Intl.PluralRules('en');
const listeners = new Set<() => void>();

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && value in LOCALES;
}

export function locale(): Locale {
  return current;
}

/** The locale boot.js chose (saved choice, else the browser's), as set on <html lang>. */
export function initialLocale(): Locale {
  const lang = document.documentElement.lang;
  return isLocale(lang) ? lang : 'en';
}

export function onLocaleChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Add a part's own catalogs (one loader per locale) to every locale's, now and after each switch. */
export async function extendCatalog(more: Record<Locale, () => Promise<Catalog>>): Promise<void> {
  if (extensions.includes(more)) return;
  extensions.push(more);
  const [mine, english] = await Promise.all([more[current](), more.en()]);
  catalog = { ...catalog, ...mine };
  extensionsEn = { ...extensionsEn, ...english };
  listeners.forEach((listener) => listener());
}

export async function setLocale(next: Locale, { persist = true }: { persist?: boolean } = {}): Promise<void> {
  const [base, ...more] = await Promise.all([loaders[next](), ...extensions.map((load) => load[next]())]);
  catalog = Object.assign({}, base, ...more);
  current = next;
  plurals = new Intl.PluralRules(next);
  if (persist) {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      /* private mode: the choice lasts for this page only */
    }
  }
  applyToDocument(next);
  listeners.forEach((listener) => listener());
}

/** <html lang dir> and the stylesheet direction (as boot.js set them before the first paint):
 * staff.html's stylesheet link points at the RTL twin or back; index.html's inline stylesheet
 * gives way to a link to its twin once that has loaded, and comes back when the link goes. */
export function applyToDocument(next: Locale): void {
  const root = document.documentElement;
  const dir = LOCALES[next].dir;
  root.lang = next;
  root.dir = dir;
  document.querySelectorAll<HTMLLinkElement | HTMLStyleElement>('[data-ltr]').forEach((sheet) => {
    const ltr = sheet.getAttribute('data-ltr') as string;
    const rtl = ltr.replace(/\.css$/, '.rtl.css');
    if (sheet instanceof HTMLLinkElement) {
      const href = dir === 'rtl' ? rtl : ltr;
      if (sheet.getAttribute('href') !== href) sheet.setAttribute('href', href);
      return;
    }
    const twin = sheet.nextElementSibling instanceof HTMLLinkElement && sheet.nextElementSibling.hasAttribute('data-rtl') ? sheet.nextElementSibling : null;
    if (dir === 'ltr') {
      sheet.media = 'all';
      twin?.remove();
    } else if (!twin) {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.setAttribute('data-rtl', '');
      link.onload = () => (sheet.media = 'not all');
      link.href = rtl;
      sheet.after(link);
    }
  });
}

/** Load a catalog directly (tests, and the first render before any switch). */
export function useCatalogForTests(next: Locale, messages: Catalog): void {
  current = next;
  catalog = messages;
  plurals = new Intl.PluralRules(next);
}

export function has(key: string): boolean {
  return key in catalog || key in en || key in extensionsEn;
}

/** The text for `key`, with `{placeholders}` filled; a `count` variable selects the plural form. */
export function t(key: string, vars: Record<string, string | number> = {}): string {
  const message: Message | undefined = catalog[key] ?? (en as Catalog)[key] ?? extensionsEn[key];
  if (message === undefined) {
    if (import.meta.env.DEV) console.warn(`missing message: ${key}`);
    return key;
  }
  let text: string;
  if (typeof message === 'string') {
    text = message;
  } else {
    const count = Number(vars.count ?? 0);
    // "zero" is only a CLDR category in some languages (Arabic); elsewhere we allow it as an
    // explicit form for 0 because "No programmes are open" reads better than "0 programmes".
    const category = count === 0 && message.zero ? 'zero' : plurals.select(count);
    text = message[category] ?? message.other ?? '';
  }
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(value) : value;
  });
}

export function formatNumber(value: number): string {
  return new Intl.NumberFormat(current).format(value);
}

/** A date (ISO string or epoch seconds/ms) in the reader's language, e.g. "3 May 2025". */
export function formatDate(value: string | number | undefined | null, withTime = false): string {
  if (value === undefined || value === null || value === '') return '';
  const date = typeof value === 'number' ? new Date(value < 1e12 ? value * 1000 : value) : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const options: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long', year: 'numeric' };
  if (withTime) Object.assign(options, { hour: 'numeric', minute: '2-digit' });
  // English dates as GOV.UK writes them (3 May 2025), not the US order.
  return new Intl.DateTimeFormat(current === 'en' ? 'en-GB' : current, options).format(date);
}

/**
 * A value the backend holds per locale ({"en": "...", "fr": "..."}) or as a plain string, in the
 * reader's language, falling back to English and then to any language present.
 */
export function localized(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (typeof value === 'object') {
    const map = value as Record<string, unknown>;
    const pick = map[current] ?? map.en ?? Object.values(map).find((v) => typeof v === 'string');
    return typeof pick === 'string' ? pick : '';
  }
  return '';
}

/** The colon between a label and its value: French puts a no-break space before it ("Motif : …"). */
export function colon(): string {
  return current === 'fr' ? '\u00a0: ' : ': ';
}

/** A file size with the reader's unit: "5 MB", "5 Mo", "5 ميغابايت" (not "MB" in French and Arabic). */
export function formatBytes(bytes: number): string {
  const [value, unit] = bytes >= 1024 * 1024 ? [Math.round((bytes / (1024 * 1024)) * 10) / 10, 'megabyte'] : bytes >= 1024 ? [Math.round(bytes / 1024), 'kilobyte'] : [bytes, 'byte'];
  if (current === 'en') return `${formatNumber(value)} ${unit === 'megabyte' ? 'MB' : unit === 'kilobyte' ? 'KB' : 'B'}`;
  // Arabic's short names are abbreviations people rarely read ("م.ب"): its long ones instead.
  return new Intl.NumberFormat(current, { style: 'unit', unit, unitDisplay: current === 'ar' ? 'long' : 'short' }).format(value);
}

/** Phone numbers and other digits-and-signs text, which must read left to right inside Arabic too (`ssp-ltr`). */
export function readsLeftToRight(text: string): boolean {
  return /^[+\d][\d\s()./-]*$/.test(text) && /\D/.test(text);
}
