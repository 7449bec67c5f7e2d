import { describe, expect, it } from 'vitest';
import { canOpen, dayOf, missingForOpening, momentOf, progress, taskStatus, type SetupProgram } from './tasks';

const all = (en: string) => ({ en, fr: `${en} (fr)`, ar: `${en} (ar)` });

/** A programme as the admin API shows one just created: a name in English, the default policy. */
const fresh = (): SetupProgram => ({ program_id: 'winter', state: 'draft', name: { en: 'Winter support' }, policy: { kind: 'one_active' }, documents: [], consents: [] });

const complete = (): SetupProgram => ({
  ...fresh(),
  name: all('Winter support'),
  description: all('Help with heating'),
  eligibility: all('Households with a child'),
  benefit: all('50 a month'),
  decision_days: 30,
  form_id: 'winter-form',
  form_version: 1,
});

describe('the set-up task list', () => {
  it('starts with nothing done but the name and the default policy', () => {
    const program = fresh();
    expect(taskStatus(program, 'details')).toBe('not_started');
    expect(taskStatus(program, 'form')).toBe('not_started');
    expect(taskStatus(program, 'documents')).toBe('not_started');
    expect(taskStatus(program, 'consents')).toBe('not_started');
    expect(taskStatus(program, 'policy')).toBe('completed');
    expect(taskStatus(program, 'reviewers')).toBe('info');
    expect(taskStatus(program, 'open')).toBe('cannot_start');
    expect(canOpen(program)).toBe(false);
    expect(progress(program)).toEqual({ done: 1, total: 4 });
  });

  it('says the details are in progress while one language or the decision time is missing', () => {
    const program = { ...complete(), benefit: { en: '50 a month', fr: '50 par mois' } };
    expect(taskStatus(program, 'details')).toBe('in_progress');
    expect(missingForOpening(program)).toEqual([{ pointer: '/benefit/ar', task: 'details' }]);
    const noDays = { ...complete(), decision_days: null };
    expect(taskStatus(noDays, 'details')).toBe('in_progress');
    expect(missingForOpening(noDays)).toEqual([{ pointer: '/decision_days', task: 'details' }]);
  });

  it('counts a closing date alone as starting the details', () => {
    expect(taskStatus({ ...fresh(), closes_at: '2031-03-31T23:59:59+00:00' }, 'details')).toBe('in_progress');
  });

  it('counts a blank translation as missing, like the server', () => {
    const program = { ...complete(), eligibility: { en: 'Households', fr: '   ', ar: 'الأسر' } };
    expect(missingForOpening(program)).toEqual([{ pointer: '/eligibility/fr', task: 'details' }]);
  });

  it('lists what is missing in the order of the tasks, each with its pointer', () => {
    expect(missingForOpening(fresh()).map((m) => m.pointer)).toEqual([
      '/name/fr',
      '/name/ar',
      '/description/en',
      '/description/fr',
      '/description/ar',
      '/eligibility/en',
      '/eligibility/fr',
      '/eligibility/ar',
      '/benefit/en',
      '/benefit/fr',
      '/benefit/ar',
      '/decision_days',
      '/form',
    ]);
  });

  it('offers opening only when everything a person needs is there, documents and statements being optional', () => {
    const program = complete();
    expect(taskStatus(program, 'details')).toBe('completed');
    expect(taskStatus(program, 'form')).toBe('completed');
    expect(taskStatus(program, 'open')).toBe('not_started');
    expect(canOpen(program)).toBe(true);
    expect(canOpen({ ...program, form_id: null })).toBe(false);
    expect(missingForOpening({ ...program, form_id: null })).toEqual([{ pointer: '/form', task: 'form' }]);
  });

  it('marks documents and statements completed once there is one', () => {
    const program = { ...complete(), documents: [{ kind: 'birth_certificate' }], consents: [{ id: 'share' }] };
    expect(taskStatus(program, 'documents')).toBe('completed');
    expect(taskStatus(program, 'consents')).toBe('completed');
  });

  it('says an open programme is done, and offers opening a closed one again, never an archived one', () => {
    expect(taskStatus({ ...complete(), state: 'open' }, 'open')).toBe('completed');
    expect(canOpen({ ...complete(), state: 'open' })).toBe(false);
    expect(canOpen({ ...complete(), state: 'closed' })).toBe(true);
    expect(canOpen({ ...complete(), state: 'archived' })).toBe(false);
    expect(progress({ ...complete(), state: 'open' })).toEqual({ done: 4, total: 4 });
  });
});

describe('documents the form asks for', () => {
  it('keep the programme closed until it accepts each kind, and put the documents task in progress', () => {
    const program = { ...complete(), form_document_kinds: ['birth_certificate'], documents: [{ kind: 'proof_of_address' }] };
    expect(missingForOpening(program)).toEqual([{ pointer: '/documents/birth_certificate', task: 'documents' }]);
    expect(taskStatus(program, 'documents')).toBe('in_progress');
    expect(taskStatus({ ...program, documents: [] }, 'documents')).toBe('not_started');
    expect(canOpen(program)).toBe(false);
    const accepted = { ...program, documents: [{ kind: 'proof_of_address' }, { kind: 'birth_certificate' }] };
    expect(missingForOpening(accepted)).toEqual([]);
    expect(taskStatus(accepted, 'documents')).toBe('completed');
    expect(canOpen(accepted)).toBe(true);
  });
});

describe('picked days', () => {
  it('turn into the start of the opening day and the end of the closing day, with the offset', () => {
    const start = momentOf('2031-03-01', 'start') as string;
    const end = momentOf('2031-03-31', 'end') as string;
    expect(start).toMatch(/^2031-03-01T00:00:00[+-]\d{2}:\d{2}$/);
    expect(end).toMatch(/^2031-03-31T23:59:59[+-]\d{2}:\d{2}$/);
    expect(dayOf(start)).toBe('2031-03-01');
    expect(dayOf(end)).toBe('2031-03-31');
  });

  it('give nothing for no day, and undefined for what is not a day', () => {
    expect(momentOf('', 'end')).toBeNull();
    expect(momentOf('31/03/2031', 'end')).toBeUndefined();
    expect(momentOf('2031-02-30', 'end')).toBeUndefined();
    expect(dayOf(null)).toBe('');
    expect(dayOf('not a date')).toBe('');
  });
});
