import { describe, expect, it } from 'vitest';
import { buildModel, fieldOfPointer, getAt, keepableAnswers, mergePatch, pageStatus, pruneHidden, setAt, toAnswer, toRaw, validateFields, visibleFields, withInputs } from './model';
import { householdForm } from './fixtures';

const model = buildModel(householdForm.schema, householdForm.ui_schema);

describe('the form model', () => {
  it('gives every leaf field its widget, nested groups by pointer', () => {
    expect(Object.fromEntries(Object.values(model.fields).map((f) => [f.name, f.kind]))).toEqual({
      '/full_name': 'text',
      '/birth_date': 'date',
      '/employed': 'radios',
      '/employer': 'text',
      '/household/size': 'number',
      '/region': 'select',
      '/needs': 'checkboxes',
      '/notes': 'textarea',
      '/id_card': 'document',
      '/national_id': 'text',
    });
    expect(model.pages.map((p) => p.id)).toEqual(['about-you', 'work', 'household']);
    expect(model.fields['/region'].options.map((o) => o.label)).toEqual([{ en: 'North', fr: 'Nord' }, { en: 'South', fr: 'Sud' }]);
  });

  it('asks the conditional question only when its condition holds', () => {
    expect(visibleFields(model, { employed: false }).has('/employer')).toBe(false);
    expect(visibleFields(model, { employed: true }).has('/employer')).toBe(true);
    expect(validateFields(model, { employed: true }, ['/employed', '/employer'])).toEqual({ '/employer': { code: 'required' } });
  });

  it('drops answers to questions that are no longer asked, as a merge patch with null', () => {
    const previous = { employed: true, employer: 'ACME' };
    const answers = { employed: false, employer: 'ACME' };
    expect(pruneHidden(model, answers)).toEqual({ employed: false });
    expect(mergePatch(model, answers, previous)).toEqual({ employed: false, employer: null });
  });

  it('puts what was typed on a page over the saved answers, clearing an input that is not an answer', () => {
    const saved = { full_name: 'Amina', household: { size: 2 } };
    const typed = withInputs(model, ['/household/size', '/birth_date'], saved, { '/household/size': '4', '/birth_date': { day: '31', month: '2', year: '1990' } });
    expect(typed.answers).toEqual({ full_name: 'Amina', household: { size: 4 } });
    expect(Object.keys(typed.invalid)).toEqual(['/birth_date']);
    expect(saved).toEqual({ full_name: 'Amina', household: { size: 2 } });
  });

  it('reads and writes nested answers by pointer', () => {
    const answers = setAt({}, '/household/size', 3);
    expect(answers).toEqual({ household: { size: 3 } });
    expect(getAt(answers, '/household/size')).toBe(3);
    expect(setAt(answers, '/household/size', undefined)).toEqual({});
  });

  it('reports limits from the schema', () => {
    expect(validateFields(model, { household: { size: 40 } }, ['/household/size'])).toEqual({ '/household/size': { code: 'too_large', limit: 30 } });
    expect(validateFields(model, { full_name: 'x'.repeat(101) }, ['/full_name'])).toEqual({ '/full_name': { code: 'too_long', limit: 100 } });
  });

  it('turns day, month and year into an ISO date and refuses impossible dates', () => {
    const field = model.fields['/birth_date'];
    expect(toAnswer(field, { day: '7', month: '3', year: '1990' })).toEqual({ value: '1990-03-07' });
    expect(toAnswer(field, { day: '31', month: '2', year: '1990' }).error).toEqual({ code: 'not_a_date' });
    expect(toAnswer(field, { day: '', month: '', year: '' })).toEqual({ value: undefined });
    expect(toRaw(field, '1990-03-07')).toEqual({ day: '7', month: '3', year: '1990' });
  });

  it('keeps typed option values (booleans, numbers) and refuses text in a number', () => {
    expect(toAnswer(model.fields['/employed'], 'true')).toEqual({ value: true });
    expect(toAnswer(model.fields['/household/size'], '4')).toEqual({ value: 4 });
    expect(toAnswer(model.fields['/household/size'], '4.5').error).toEqual({ code: 'wrong_type' });
    expect(toAnswer(model.fields['/needs'], ['food', 'health'])).toEqual({ value: ['food', 'health'] });
  });

  it('maps the server’s field errors to the field, with or without the answers prefix', () => {
    expect(fieldOfPointer(model, '/answers/household/size')).toBe('/household/size');
    expect(fieldOfPointer(model, '/household/size')).toBe('/household/size');
    expect(fieldOfPointer(model, '/needs/1')).toBe('/needs');
    expect(fieldOfPointer(model, '/nothing')).toBeUndefined();
  });

  it('never keeps documents or ID numbers in the browser', () => {
    const kept = keepableAnswers(model, { full_name: 'Amina', national_id: '8267411571', id_card: 'doc-1', household: { size: 2 } });
    expect(kept).toEqual({ full_name: 'Amina', household: { size: 2 } });
  });

  it('tells which pages are completed', () => {
    const [about, work] = model.pages;
    expect(pageStatus(model, {}, about)).toBe('not_started');
    expect(pageStatus(model, { full_name: 'A' }, about)).toBe('incomplete');
    expect(pageStatus(model, { full_name: 'A', birth_date: '1990-01-01' }, about)).toBe('completed');
    expect(pageStatus(model, { employed: true }, work)).toBe('incomplete');
    expect(pageStatus(model, { employed: false }, work)).toBe('completed');
  });
});
