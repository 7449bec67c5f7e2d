import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { useCatalogForTests, type Catalog } from '../../i18n';
import en from '../../i18n/en.json';
import fr from '../../i18n/fr.json';
import ar from '../../i18n/ar.json';
import { officerNote, Timeline } from './timeline';
import { drawingRoot } from '../../test_support/dom';

const root = drawingRoot();

const officer = { role: 'officer', ref: 'officer-7' };
const assisted = [
  { from: null, to: 'draft', at: '2026-03-01T09:00:00+00:00', by: officer },
  { from: 'draft', to: 'submitted', at: '2026-03-01T09:20:00+00:00', by: officer },
  { from: 'submitted', to: 'under_review', at: '2026-03-02T10:00:00+00:00', by: { role: 'reviewer', ref: 'r1' } },
];

describe('the timeline of an application an officer sent with the person', () => {
  it.each([
    ['en', en, 'Application sent with the help of an officer'],
    ['fr', fr, 'Demande envoyée avec l’aide d’un agent'],
    ['ar', ar, 'أُرسل الطلب بمساعدة موظف'],
  ])('says so in %s', (code, catalog, expected) => {
    useCatalogForTests(code as 'en', catalog as Catalog);
    render(<Timeline entries={assisted} />, root);
    const titles = [...root.querySelectorAll('.ssp-timeline__title')].map((h) => h.textContent);
    expect(titles[1]).toBe(expected);
    expect(root.textContent).toContain((catalog as unknown as Record<string, string>)['timeline.by.officer']);
    expect((catalog as unknown as Record<string, string>)['apply.submitted_by_officer']).toBeTruthy();
  });

  it('says nothing of an officer when the person sent it themselves', () => {
    useCatalogForTests('en', en);
    const own = assisted.map((e, i) => (i < 2 ? { ...e, by: { role: 'registrant', ref: 'me' } } : e));
    render(<Timeline entries={own} />, root);
    expect(root.textContent).toContain('Application sent');
    expect(root.textContent).not.toContain('officer');
    expect(officerNote({ channel: 'self', timeline: own })).toBeNull();
  });

  it('says an officer sent it only when an officer made the submission', () => {
    expect(officerNote({ channel: 'self', timeline: assisted })).toBe('apply.submitted_by_officer');
    expect(officerNote({ channel: 'assisted', timeline: assisted })).toBe('apply.submitted_by_officer');
    const sentByThePerson = assisted.map((e) => (e.to === 'submitted' ? { ...e, by: { role: 'registrant', ref: 'me' } } : e));
    expect(officerNote({ channel: 'assisted', timeline: sentByThePerson })).toBe('apply.started_by_officer');
    expect(officerNote({ channel: 'assisted', timeline: [] })).toBe('apply.started_by_officer');
  });
});
