import { describe, expect, it } from 'vitest';
import { extendCatalog, formatNumber, setLocale, t, useCatalogForTests, type Catalog } from './index';
import en from './en.json';
import fr from './fr.json';
import ar from './ar.json';
import builderEn from '../staff/builder/i18n/en.json';
import builderFr from '../staff/builder/i18n/fr.json';
import builderAr from '../staff/builder/i18n/ar.json';

const catalogs: Record<string, Catalog> = { en, fr, ar };
// The form builder's own catalogs, loaded with it (extendCatalog), held to the same rules.
const builder: Record<string, Catalog> = { en: builderEn, fr: builderFr, ar: builderAr };

function placeholders(message: unknown): string[] {
  const texts = typeof message === 'string' ? [message] : Object.values(message as Record<string, string>);
  return [...new Set(texts.flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1])))].filter((p) => p !== 'count').sort();
}

describe('message catalogs', () => {
  it.each(['fr', 'ar'])('%s has every English message and no other', (code) => {
    expect(Object.keys(catalogs[code]).sort()).toEqual(Object.keys(en).sort());
  });

  it.each(['fr', 'ar'])('%s keeps the placeholders of each English message', (code) => {
    for (const [key, message] of Object.entries(en)) {
      expect([key, placeholders(catalogs[code][key])]).toEqual([key, placeholders(message)]);
    }
  });

  it.each(['en', 'fr', 'ar'])('%s gives plural messages every form its language uses', (code) => {
    const categories = new Intl.PluralRules(code).resolvedOptions().pluralCategories;
    for (const [key, message] of Object.entries(catalogs[code])) {
      if (typeof message === 'string') continue;
      for (const category of categories) expect([key, category, typeof (message as Record<string, string>)[category]]).toEqual([key, category, 'string']);
    }
  });

  it('chooses the plural form by the count, in each language', () => {
    useCatalogForTests('en', en);
    expect(t('applications.count', { count: 0 })).toBe('You have no applications');
    expect(t('applications.count', { count: 1 })).toBe('You have 1 application');
    expect(t('applications.count', { count: 3 })).toBe('You have 3 applications');
    useCatalogForTests('ar', ar);
    expect(t('applications.count', { count: 2 })).toBe('لديك طلبان');
    expect(t('applications.count', { count: 5 })).toBe(`لديك ${formatNumber(5)} طلبات`);
    expect(t('applications.count', { count: 11 })).toBe(`لديك ${formatNumber(11)} طلبًا`);
  });

  it('falls back to English for a message a catalog lacks', () => {
    useCatalogForTests('fr', { 'home.title': 'Titre' });
    expect(t('home.title')).toBe('Titre');
    expect(t('home.start')).toBe('Start now');
  });

  describe('the form builder\'s catalogs', () => {
    it.each(['fr', 'ar'])('%s has every English message and no other, each with its placeholders', (code) => {
      expect(Object.keys(builder[code]).sort()).toEqual(Object.keys(builderEn).sort());
      for (const [key, message] of Object.entries(builderEn)) expect([key, placeholders(builder[code][key])]).toEqual([key, placeholders(message)]);
    });

    it.each(['en', 'fr', 'ar'])('%s gives plural messages every form its language uses, and shares no key with the main catalog', (code) => {
      const categories = new Intl.PluralRules(code).resolvedOptions().pluralCategories;
      for (const [key, message] of Object.entries(builder[code])) {
        expect([key, key in catalogs[code]]).toEqual([key, false]);
        if (typeof message === 'string') continue;
        for (const category of categories) expect([key, category, typeof (message as Record<string, string>)[category]]).toEqual([key, category, 'string']);
      }
    });
  });

  it("adds a lazily loaded part's catalog to every locale's, its English the fallback", async () => {
    useCatalogForTests('en', en);
    await extendCatalog({ en: async () => ({ 'part.one': 'One', 'part.two': 'Two' }), fr: async () => ({ 'part.one': 'Un' }), ar: async () => ({}) });
    expect(t('part.one')).toBe('One');
    await setLocale('fr', { persist: false });
    expect([t('part.one'), t('part.two'), t('home.start')]).toEqual(['Un', 'Two', fr['home.start']]);
    await setLocale('en', { persist: false });
  });
});
