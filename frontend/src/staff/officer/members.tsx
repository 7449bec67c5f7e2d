/**
 * A repeating group (each child, each member of the household) on the officer's one-page form:
 * every member as a section of its own questions, drawn by the same renderer, with "Add a child"
 * and "Remove". The member's questions are the group's own form (`field.repeat.model`); on the
 * page each is addressed by its full pointer (`/children/0/name`), so ids never collide.
 */
import type { FunctionComponent } from 'preact';
import { getAt, requiredFields, setAt, toAnswer, toRaw, validateFields, visibleFields, type Answers, type Field, type FieldError, type FormModel, type RawValue } from '../../forms/model';
import { errorText, FormFields, inputId, type DocumentSlotProps } from '../../forms/render';
import { localized, t } from '../../i18n';

export type MemberRaw = Record<string, RawValue>;

export function membersRaw(field: Field, members: Answers[]): MemberRaw[] {
  const model = field.repeat!.model;
  return members.map((member) => Object.fromEntries(model.order.map((name) => [name, toRaw(model.fields[name], getAt(member, name))])));
}

/** Each member's answers, and the entries that are not a valid answer (by member). */
export function membersAnswers(field: Field, raws: MemberRaw[]): { members: Answers[]; invalid: Record<string, FieldError>[] } {
  const model = field.repeat!.model;
  const invalid: Record<string, FieldError>[] = [];
  const members = raws.map((raw) => {
    const wrong: Record<string, FieldError> = {};
    let member: Answers = {};
    for (const name of model.order) {
      const { value, error } = toAnswer(model.fields[name], raw[name]);
      if (error) wrong[name] = error;
      else if (value !== undefined) member = setAt(member, name, value);
    }
    invalid.push(wrong);
    return member;
  });
  return { members, invalid };
}

/** What is missing or wrong in each member, before submitting. */
export function membersErrors(field: Field, members: Answers[]): Record<string, FieldError>[] {
  const model = field.repeat!.model;
  return members.map((member) => {
    const visible = visibleFields(model, member);
    return validateFields(model, member, model.order.filter((n) => visible.has(n)));
  });
}

function prefixedModel(model: FormModel, prefix: string): FormModel {
  const fields = Object.fromEntries(Object.entries(model.fields).map(([name, f]) => [prefix + name, { ...f, name: prefix + name }]));
  return { ...model, fields, order: model.order.map((n) => prefix + n), groups: {}, pages: [] };
}

/** The summary's links to each member's wrong answers. */
export function memberSummary(field: Field, errors: Record<string, FieldError>[]): { href: string; text: string }[] {
  const model = field.repeat!.model;
  return errors.flatMap((wrong, index) =>
    Object.entries(wrong).map(([name, error]) => {
      const shown = { ...model.fields[name], name: `${field.name}/${index}${name}` };
      return { href: `#${inputId(shown)}`, text: `${localized(field.repeat!.itemLabel)} ${index + 1} – ${errorText(model.fields[name], error)}` };
    }),
  );
}

export function Members({
  field,
  raws,
  errors,
  onChange,
  Document,
}: {
  field: Field;
  raws: MemberRaw[];
  errors: Record<string, FieldError>[];
  onChange: (raws: MemberRaw[]) => void;
  Document?: FunctionComponent<DocumentSlotProps>;
}) {
  const repeat = field.repeat!;
  const item = localized(repeat.itemLabel);
  const { members } = membersAnswers(field, raws);
  return (
    <div class="govuk-form-group" id={`f${field.name.replace(/[^A-Za-z0-9_]/g, '-')}`}>
      <h3 class="govuk-heading-s">{localized(field.label)}</h3>
      {field.hint && <p class="govuk-hint">{localized(field.hint)}</p>}
      {raws.map((raw, index) => {
        const prefix = `${field.name}/${index}`;
        const model = prefixedModel(repeat.model, prefix);
        const visible = visibleFields(repeat.model, members[index]);
        const required = new Set([...requiredFields(repeat.model, members[index])].map((n) => prefix + n));
        const names = repeat.model.order.filter((n) => visible.has(n)).map((n) => prefix + n);
        const shownRaw = Object.fromEntries(Object.entries(raw).map(([n, v]) => [prefix + n, v]));
        const messages = Object.fromEntries(repeat.model.order.map((n) => [prefix + n, errorText(repeat.model.fields[n], errors[index]?.[n])]));
        return (
          <fieldset class="govuk-fieldset govuk-!-margin-bottom-6" key={index}>
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">
              {item} {index + 1}
            </legend>
            <FormFields
              model={model}
              names={names}
              raw={shownRaw}
              errors={messages}
              required={required}
              onChange={(name, value) => onChange(raws.map((r, i) => (i === index ? { ...r, [name.slice(prefix.length)]: value } : r)))}
              Document={Document}
            />
            <button type="button" class="govuk-button govuk-button--secondary" onClick={() => onChange(raws.filter((_, i) => i !== index))}>
              {t('officer.remove_member', { item: `${item} ${index + 1}` })}
            </button>
          </fieldset>
        );
      })}
      {raws.length < repeat.max ? (
        <button type="button" class="govuk-button govuk-button--secondary" onClick={() => onChange([...raws, {}])}>
          {t('officer.add_member', { item })}
        </button>
      ) : (
        <p class="govuk-body">{t('officer.members_full', { max: repeat.max, items: localized(repeat.itemsLabel) })}</p>
      )}
    </div>
  );
}
