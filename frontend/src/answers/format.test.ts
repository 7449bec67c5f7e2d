import { describe, expect, it } from 'vitest';
import { useCatalogForTests, type Catalog } from '../i18n';
import en from '../i18n/en.json';
import fr from '../i18n/fr.json';
import ar from '../i18n/ar.json';
import { formatAnswer } from './format';

const catalogs = { en, fr, ar } as Record<string, Catalog>;

describe('one way of showing an answer', () => {
  it.each([
    ['en', '5 June 2031', 'Yes', 'No'],
    ['fr', '5 juin 2031', 'Oui', 'Non'],
    ['ar', '5 يونيو 2031', 'نعم', 'لا'],
  ])('%s: a date in words, yes/no in words (never blank or "true")', (code, date, yes, no) => {
    useCatalogForTests(code as 'en', catalogs[code]);
    expect(formatAnswer({ kind: 'date' }, '2031-06-05')).toBe(date);
    expect(formatAnswer({ kind: 'radios' }, true)).toBe(yes);
    expect(formatAnswer({ kind: 'radios' }, false)).toBe(no);
    expect(formatAnswer({ kind: 'text' }, false)).toBe(no);
  });

  it('names a document by its file name, never by its id', () => {
    useCatalogForTests('en', en as Catalog);
    expect(formatAnswer({ kind: 'document' }, 'doc-4f1c', [{ document_id: 'doc-4f1c', file_name: 'id card.pdf' }])).toBe('id card.pdf');
    expect(formatAnswer({ kind: 'document' }, 'doc-4f1c', [])).toBe('A document you sent');
  });

  it('separates several answers and writes an address part by part', () => {
    useCatalogForTests('fr', fr as Catalog);
    expect(formatAnswer({ kind: 'checkboxes' }, ['Nourriture', 'Soins', 'Logement'])).toBe('Nourriture, Soins et Logement');
    useCatalogForTests('en', en as Catalog);
    expect(formatAnswer({ kind: 'text' }, { street: '12 Rue des Fleurs', city: 'Rabat' })).toBe('12 Rue des Fleurs, Rabat');
    expect(formatAnswer({ kind: 'text' }, '')).toBe('Not answered');
  });
});
