import { describe, expect, it } from 'vitest';
import { useCatalogForTests, type Catalog } from '../../i18n';
import en from '../../i18n/en.json';
import fr from '../../i18n/fr.json';
import ar from '../../i18n/ar.json';
import { buildModel } from '../../forms/model';
import { displayValue } from './answers';

describe('a checkbox group’s answers on check your answers and in the timeline', () => {
  const model = buildModel(
    { type: 'object', properties: { kinds: { type: 'array', items: { type: 'string', enum: ['food', 'health', 'housing'] } } } },
    {
      fields: {
        '/kinds': {
          widget: 'checkbox',
          label: { en: 'Kinds' },
          options: { food: { en: 'Food', fr: 'Nourriture', ar: 'غذاء' }, health: { en: 'Health care', fr: 'Soins', ar: 'رعاية صحية' }, housing: { en: 'Housing', fr: 'Logement', ar: 'سكن' } },
        },
      },
    },
  );
  it.each([
    ['en', en, 'Food, Health care, Housing', 'Health care'],
    ['fr', fr, 'Nourriture, Soins et Logement', 'Soins'],
    ['ar', ar, 'غذاء، ورعاية صحية، وسكن', 'رعاية صحية'],
  ])('read as a list written the %s way (no Latin comma in Arabic)', (code, catalog, three, one) => {
    useCatalogForTests(code as 'en', catalog as Catalog);
    expect(model.fields['/kinds'].kind).toBe('checkboxes');
    expect(displayValue(model.fields['/kinds'], ['food', 'health', 'housing'])).toBe(three);
    expect(displayValue(model.fields['/kinds'], ['health'])).toBe(one);
  });
});
