/** Details the national ID gave, on check your answers: the value with the mark and the note, in each language. */
import { render } from 'preact';
import { beforeEach, describe, expect, it } from 'vitest';
import { useCatalogForTests, type Catalog } from '../i18n';
import en from '../i18n/en.json';
import fr from '../i18n/fr.json';
import ar from '../i18n/ar.json';
import { drawingRoot } from '../test_support/dom';
import { IdProvidedValue } from './id_fields';

const root = drawingRoot();
beforeEach(() => useCatalogForTests('en', en as Catalog));

describe('a value from the national ID', () => {
  it.each([
    ['en', en],
    ['fr', fr],
    ['ar', ar],
  ] as const)('says where it came from and how to correct it, in %s', (code, catalog) => {
    useCatalogForTests(code, catalog as Catalog);
    render(<IdProvidedValue>Amina Okafor</IdProvidedValue>, root);
    expect(root.textContent).toContain('Amina Okafor');
    expect(root.querySelector('.govuk-tag')?.textContent).toBe((catalog as Catalog)['id_fields.from_national_id']);
    expect(root.textContent).toContain((catalog as Catalog)['id_fields.how_to_correct'] as string);
  });
});
