import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { useCatalogForTests, type Catalog } from '../../i18n';
import en from '../../i18n/en.json';
import builderEn from './i18n/en.json';
import { Preview } from './preview';

describe('the form builder’s preview', () => {
  const root = document.body.appendChild(document.createElement('div'));
  afterEach(() => render(null, root));

  it('draws a statement as the person’s page does: a paragraph per blank line, a phone number in order', () => {
    useCatalogForTests('en', { ...(en as Catalog), ...(builderEn as Catalog) });
    const definition = {
      title: { en: 'Grant' },
      schema: { type: 'object', properties: { name: { type: 'string' } } },
      ui_schema: {
        pages: [{ id: 'p', title: { en: 'About you' }, fields: ['/intro', '/name'] }],
        fields: { '/intro': { widget: 'statement', text: { en: 'You need your ID card.\n\nCall 0712 345 678 if you need help.' } }, '/name': { widget: 'text', label: { en: 'Full name' } } },
      },
    };
    render(<Preview definition={definition as never} />, root);
    const paragraphs = [...root.querySelectorAll('.ssp-preview p.govuk-body, section p.govuk-body')].map((p) => p.textContent);
    expect(paragraphs).toContain('You need your ID card.');
    expect(paragraphs).toContain('Call \u20660712 345 678\u2069 if you need help.');
  });
});
