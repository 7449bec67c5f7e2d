/** One question's editor: its words in every language, whether it must be answered, its answer format, its own error messages, autofill, condition and prefill. */
import { localized, t } from '../../i18n';
import { Checkbox, NumberInput, Select, SideBySide, SmallButton, TextInput } from './controls';
import {
  ADDRESS_PARTS,
  AUTOCOMPLETE,
  FORMATS,
  HOUSEHOLD_FIELDS,
  isName,
  newQuestion,
  PROFILE_FIELDS,
  QUESTION_TYPES,
  type Choice,
  type Condition,
  type ConditionOp,
  type Format,
  type Question,
  type QuestionType,
  type Texts,
} from './model';

/** Error codes worded together: the browser and the server name a wrong date or email differently. */
const RULE_CODES: Record<string, string[]> = { not_a_date: ['not_a_date', 'wrong_format'], not_an_email: ['not_an_email', 'wrong_format'] };

/** The rules a person's answer can break, by question type: each may have its own message. */
export function rulesOf(q: Question): string[] {
  const rules = q.required ? ['required'] : [];
  switch (q.type) {
    case 'short_text':
      return [...rules, ...(q.format && q.format !== 'none' ? ['wrong_format'] : []), ...(q.minLength ? ['too_short'] : []), 'too_long'];
    case 'long_text':
      return [...rules, ...(q.minLength ? ['too_short'] : []), 'too_long'];
    case 'phone':
      return [...rules, 'wrong_format'];
    case 'whole_number':
    case 'number':
      return [...rules, 'wrong_type', ...(q.minimum !== undefined ? ['too_small'] : []), ...(q.maximum !== undefined ? ['too_large'] : [])];
    case 'date':
      // a date of birth (autofill "bday") in the future is refused at submission
      return [...rules, 'not_a_date', ...(q.autocomplete === 'bday' ? ['in_future'] : [])];
    case 'email':
      return [...rules, 'not_an_email'];
    case 'choose_several':
      return [...rules, ...(q.minItems ? ['too_few'] : []), ...(q.maxItems ? ['too_many'] : [])];
    case 'household':
      return ['too_few', 'too_many'];
    case 'choose_one':
    case 'yes_no':
    case 'document':
      return rules;
    default:
      return [];
  }
}

export function typeName(type: QuestionType): string {
  return t(`builder.type.${type}`);
}

export function questionTitle(q: Question): string {
  return localized(q.label) || localized(q.text) || t('builder.untitled', { name: q.name });
}

interface Props {
  question: Question;
  /** the other questions of its level (for conditions): the form's, or the household member's */
  siblings: Question[];
  /** the ids of this question's elements start with this (`q-<name>`, `q-<group>.<name>`) */
  idBase: string;
  inGroup?: boolean;
  onChange: (question: Question) => void;
  selectedMember?: string;
  onSelectMember?: (name: string | undefined) => void;
}

export function QuestionEditor({ question: q, siblings, idBase, inGroup, onChange, selectedMember, onSelectMember }: Props) {
  const set = (patch: Partial<Question>) => onChange({ ...q, ...patch });
  const id = (part: string) => `${idBase}-${part}`;
  const types = QUESTION_TYPES.filter((type) => !inGroup || (type !== 'household' && type !== 'statement' && type !== 'address'));
  const changeType = (type: QuestionType) => {
    const fresh = newQuestion(type, []);
    onChange({ ...fresh, name: q.name, label: q.label, hint: q.hint, required: type === 'statement' ? false : q.required, condition: q.condition });
  };
  const nameError = isName(q.name) ? undefined : t('builder.error.bad_name');
  return (
    <div class="govuk-!-padding-top-2">
      {q.type !== 'custom' && (
        <Select id={id('type')} label={t('builder.question_type')} value={q.type} options={types.map((type) => [type, typeName(type)])} onChange={(v) => changeType(v as QuestionType)} />
      )}
      {q.type === 'custom' && <p class="govuk-inset-text">{t('builder.custom_lead')}</p>}
      {q.type === 'statement' ? (
        <>
          <SideBySide id={id('label')} legend={t('builder.statement_heading')} hint={t('builder.optional_hint')} texts={q.label} onChange={(label) => set({ label })} />
          <SideBySide id={id('text')} legend={t('builder.statement_text')} texts={q.text} rows={4} onChange={(text) => set({ text })} />
        </>
      ) : (
        <>
          <SideBySide id={id('label')} legend={t('builder.label')} texts={q.label} onChange={(label) => set({ label })} />
          {q.type !== 'custom' && <SideBySide id={id('hint')} legend={t('builder.hint')} hint={t('builder.optional_hint')} texts={q.hint} rows={2} onChange={(hint) => set({ hint })} />}
        </>
      )}
      {q.type !== 'statement' && q.type !== 'custom' && (
        <Checkbox id={id('required')} label={q.type === 'household' ? t('builder.household_required') : t('builder.required')} checked={q.required} onChange={(required) => set({ required, ...(q.type === 'household' && required && !q.minItems ? { minItems: 1 } : {}) })} />
      )}
      <TypeOptions q={q} id={id} set={set} selectedMember={selectedMember} onSelectMember={onSelectMember} />
      {q.type !== 'statement' && q.type !== 'custom' && q.type !== 'household' && q.type !== 'address' && <Autofill q={q} id={id} set={set} />}
      {q.type !== 'statement' && q.type !== 'custom' && q.type !== 'household' && q.type !== 'address' && (
        <ConditionEditor q={q} siblings={siblings.filter((s) => s !== q && s.name !== q.name && (s.type === 'choose_one' || s.type === 'yes_no'))} id={id} set={set} />
      )}
      {!inGroup && q.type !== 'statement' && q.type !== 'custom' && q.type !== 'household' && q.type !== 'document' && <PrefillEditor q={q} id={id} set={set} />}
      {rulesOf(q).length > 0 && <Messages q={q} id={id} set={set} />}
      <details class="govuk-details">
        <summary class="govuk-details__summary">
          <span class="govuk-details__summary-text">{t('builder.advanced')}</span>
        </summary>
        <div class="govuk-details__text">
          <TextInput id={id('name')} label={t('builder.answer_name')} hint={t('builder.answer_name_hint')} value={q.name} ltr error={nameError} onChange={(name) => set({ name })} />
        </div>
      </details>
    </div>
  );
}

type Setter = (patch: Partial<Question>) => void;

function TypeOptions({ q, id, set, selectedMember, onSelectMember }: { q: Question; id: (part: string) => string; set: Setter; selectedMember?: string; onSelectMember?: (name: string | undefined) => void }) {
  switch (q.type) {
    case 'choose_one':
    case 'choose_several':
      return (
        <>
          {q.type === 'choose_one' && (
            <Select
              id={id('display')}
              label={t('builder.display')}
              value={q.display ?? 'radios'}
              options={[
                ['radios', t('builder.display.radios')],
                ['list', t('builder.display.list')],
              ]}
              onChange={(display) => set({ display: display as 'radios' | 'list' })}
            />
          )}
          <Choices q={q} id={id} set={set} />
          {q.type === 'choose_several' && (
            <>
              <NumberInput id={id('min-items')} label={t('builder.min_items')} hint={t('builder.optional_hint')} value={q.minItems} onChange={(minItems) => set({ minItems })} />
              <NumberInput id={id('max-items')} label={t('builder.max_items')} hint={t('builder.optional_hint')} value={q.maxItems} onChange={(maxItems) => set({ maxItems })} />
            </>
          )}
        </>
      );
    case 'short_text':
      return (
        <>
          <Select id={id('format')} label={t('builder.format')} value={q.format ?? 'none'} options={FORMATS.map((f) => [f, t(`builder.format.${f}`)])} onChange={(format) => set({ format: format as Format, formatValue: undefined })} />
          {(q.format === 'digits' || q.format === 'national_id') && (
            <NumberInput id={id('digits')} label={t('builder.digits')} value={q.formatValue ? Number(q.formatValue) : 10} onChange={(n) => set({ formatValue: n ? String(n) : undefined })} />
          )}
          {q.format === 'custom' && <TextInput id={id('pattern')} label={t('builder.pattern')} hint={t('builder.pattern_hint')} value={q.formatValue ?? ''} ltr onChange={(formatValue) => set({ formatValue })} />}
          <Lengths q={q} id={id} set={set} />
        </>
      );
    case 'long_text':
      return <Lengths q={q} id={id} set={set} />;
    case 'phone':
      return (
        <Select
          id={id('format')}
          label={t('builder.format')}
          value={q.format === 'phone_international' ? 'phone_international' : 'phone_local'}
          options={[
            ['phone_local', t('builder.format.phone_local')],
            ['phone_international', t('builder.format.phone_international')],
          ]}
          onChange={(format) => set({ format: format as Format })}
        />
      );
    case 'whole_number':
    case 'number':
      return (
        <>
          <NumberInput id={id('minimum')} label={t('builder.minimum')} hint={t('builder.optional_hint')} value={q.minimum} decimals={q.type === 'number'} onChange={(minimum) => set({ minimum })} />
          <NumberInput id={id('maximum')} label={t('builder.maximum')} hint={t('builder.optional_hint')} value={q.maximum} decimals={q.type === 'number'} onChange={(maximum) => set({ maximum })} />
        </>
      );
    case 'document':
      return <TextInput id={id('document-kind')} label={t('builder.document_kind')} hint={t('builder.document_kind_hint')} value={q.documentKind ?? ''} ltr onChange={(documentKind) => set({ documentKind: documentKind.toLowerCase() })} />;
    case 'address':
      return (
        <fieldset class="govuk-fieldset govuk-!-margin-bottom-4">
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{t('builder.address_parts')}</legend>
          {ADDRESS_PARTS.map((part) => (
            <Checkbox
              key={part.name}
              id={id(`part-${part.name}`)}
              label={localized(part.label)}
              checked={(q.parts ?? []).includes(part.name)}
              onChange={(on) => set({ parts: ADDRESS_PARTS.map((p) => p.name).filter((p) => (p === part.name ? on : (q.parts ?? []).includes(p))) })}
            />
          ))}
        </fieldset>
      );
    case 'household':
      return <Household q={q} id={id} set={set} selectedMember={selectedMember} onSelectMember={onSelectMember} />;
    default:
      return null;
  }
}

function Lengths({ q, id, set }: { q: Question; id: (part: string) => string; set: Setter }) {
  return (
    <>
      <NumberInput id={id('min-length')} label={t('builder.min_length')} hint={t('builder.optional_hint')} value={q.minLength} onChange={(minLength) => set({ minLength })} />
      {(q.type === 'long_text' || !q.format || q.format === 'none' || q.format === 'custom') && (
        <NumberInput id={id('max-length')} label={t('builder.max_length')} value={q.maxLength} onChange={(maxLength) => set({ maxLength })} />
      )}
    </>
  );
}

function choiceValue(label: Texts, taken: string[], index: number): string {
  const base = (label.en ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40);
  let value = base || `option_${index + 1}`;
  for (let n = 2; taken.includes(value); n++) value = `${base || 'option'}_${n}`;
  return value;
}

function Choices({ q, id, set }: { q: Question; id: (part: string) => string; set: Setter }) {
  const choices = q.choices ?? [];
  const update = (next: Choice[]) => set({ choices: next });
  const move = (index: number, delta: number) => {
    const to = index + delta;
    if (to < 0 || to >= choices.length) return;
    const next = [...choices];
    [next[index], next[to]] = [next[to], next[index]];
    update(next);
    requestAnimationFrame(() => document.getElementById(id(`choice-${to}-${delta < 0 ? 'up' : 'down'}`))?.focus());
  };
  return (
    <fieldset class="govuk-fieldset govuk-!-margin-bottom-4">
      <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{t('builder.choices')}</legend>
      <ol class="govuk-list govuk-list--number">
        {choices.map((choice, index) => (
          <li key={index}>
            <SideBySide
              id={id(`choice-${index}`)}
              legend={t('builder.choice_n', { n: index + 1 })}
              texts={choice.label}
              onChange={(label) => {
                const others = choices.filter((_, i) => i !== index).map((c) => c.value);
                // A new choice takes its stored value from its English words; one already named keeps it.
                const value = /^option_\d+$/.test(choice.value) && label.en ? choiceValue(label, others, index) : choice.value;
                update(choices.map((c, i) => (i === index ? { value, label } : c)));
              }}
            />
            <SmallButton id={id(`choice-${index}-up`)} text={t('builder.move_up')} about={localized(choice.label) || t('builder.choice_n', { n: index + 1 })} disabled={index === 0} onClick={() => move(index, -1)} />
            <SmallButton id={id(`choice-${index}-down`)} text={t('builder.move_down')} about={localized(choice.label) || t('builder.choice_n', { n: index + 1 })} disabled={index === choices.length - 1} onClick={() => move(index, 1)} />
            <SmallButton text={t('builder.remove')} about={localized(choice.label) || t('builder.choice_n', { n: index + 1 })} onClick={() => update(choices.filter((_, i) => i !== index))} />
          </li>
        ))}
      </ol>
      <SmallButton
        id={id('add-choice')}
        text={t('builder.add_choice')}
        onClick={() => {
          const taken = choices.map((c) => c.value);
          let n = choices.length + 1;
          while (taken.includes(`option_${n}`)) n++;
          update([...choices, { value: `option_${n}`, label: {} }]);
          requestAnimationFrame(() => document.getElementById(id(`choice-${choices.length}-en`))?.focus());
        }}
      />
    </fieldset>
  );
}

const PERSONAL: QuestionType[] = ['short_text', 'long_text', 'email', 'phone', 'whole_number', 'number', 'date', 'choose_one'];

function Autofill({ q, id, set }: { q: Question; id: (part: string) => string; set: Setter }) {
  if (!PERSONAL.includes(q.type) || (q.type === 'choose_one' && q.display !== 'list')) return null;
  const tokens = q.type === 'date' ? ['bday'] : AUTOCOMPLETE.filter((a) => a !== 'bday');
  return (
    <Select
      id={id('autocomplete')}
      label={t('builder.autocomplete')}
      hint={t('builder.autocomplete_hint')}
      value={q.autocomplete ?? ''}
      options={[['', t('builder.autocomplete.none')], ...tokens.map((token): [string, string] => [token, t(`builder.autocomplete.${token}`)])]}
      onChange={(autocomplete) => set({ autocomplete: autocomplete || undefined })}
    />
  );
}

function answerText(source: Question, value: string | boolean): string {
  if (source.type === 'yes_no') return value === true ? t('builder.yes') : t('builder.no');
  const choice = (source.choices ?? []).find((c) => c.value === value);
  return choice ? localized(choice.label) || choice.value : String(value);
}

function ConditionEditor({ q, siblings, id, set }: { q: Question; siblings: Question[]; id: (part: string) => string; set: Setter }) {
  const condition = q.condition;
  if (!siblings.length && !condition) return null;
  const source = siblings.find((s) => s.name === condition?.question);
  const answers: (string | boolean)[] = source ? (source.type === 'yes_no' ? [true, false] : (source.choices ?? []).map((c) => c.value)) : [];
  const update = (patch: Partial<Condition>) => set({ condition: { ...(condition ?? { question: '', op: 'is', values: [] }), ...patch } });
  return (
    <fieldset class="govuk-fieldset govuk-!-margin-bottom-4">
      <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{t('builder.condition')}</legend>
      <Select
        id={id('condition-question')}
        label={t('builder.condition_question')}
        value={condition?.question ?? ''}
        options={[['', t('builder.condition_always')], ...siblings.map((s): [string, string] => [s.name, questionTitle(s)])]}
        onChange={(question) => set({ condition: question ? { question, op: condition?.op ?? 'is', values: [] } : undefined })}
      />
      {condition && source && (
        <>
          <Select
            id={id('condition-op')}
            label={t('builder.condition_op')}
            value={condition.op}
            options={(['is', 'is_not', 'one_of'] as ConditionOp[]).map((op) => [op, t(`builder.op.${op}`)])}
            onChange={(op) => update({ op: op as ConditionOp, values: op === 'one_of' ? condition.values : condition.values.slice(0, 1) })}
          />
          {condition.op === 'one_of' ? (
            <fieldset class="govuk-fieldset">
              <legend class="govuk-fieldset__legend">{t('builder.condition_answers')}</legend>
              {answers.map((answer, index) => (
                <Checkbox
                  key={String(answer)}
                  id={id(`condition-answer-${index}`)}
                  label={answerText(source, answer)}
                  checked={condition.values.includes(answer)}
                  onChange={(on) => update({ values: answers.filter((a) => (a === answer ? on : condition.values.includes(a))) })}
                />
              ))}
            </fieldset>
          ) : (
            <Select
              id={id('condition-answer')}
              label={t('builder.condition_answer')}
              value={condition.values.length ? String(condition.values[0]) : ''}
              options={[['', t('builder.choose')], ...answers.map((a): [string, string] => [String(a), answerText(source, a)])]}
              onChange={(value) => update({ values: value === '' ? [] : [answers.find((a) => String(a) === value) ?? value] })}
            />
          )}
        </>
      )}
    </fieldset>
  );
}

function PrefillEditor({ q, id, set }: { q: Question; id: (part: string) => string; set: Setter }) {
  if (q.type === 'address') {
    return (
      <Checkbox
        id={id('prefill')}
        label={t('builder.prefill_address')}
        hint={t('builder.from_national_id')}
        checked={Boolean(q.prefill)}
        onChange={(on) => set({ prefill: on ? { from: 'profile.address', editable: true } : undefined })}
      />
    );
  }
  const fieldName = (source: string) => t(`builder.profile.${source.slice('profile.'.length)}`);
  return (
    <>
      <Select
        id={id('prefill')}
        label={t('builder.prefill')}
        hint={t('builder.prefill_hint')}
        value={q.prefill?.from ?? ''}
        options={[
          ['', t('builder.prefill.none')],
          ...PROFILE_FIELDS.map(({ source, id: fromId }): [string, string] => [source, fromId ? t('builder.prefill.from_id', { field: fieldName(source) }) : t('builder.prefill.from_details', { field: fieldName(source) })]),
        ]}
        onChange={(from) => set({ prefill: from ? { from, editable: q.prefill?.editable ?? false } : undefined })}
      />
      {q.prefill && <Checkbox id={id('prefill-editable')} label={t('builder.prefill_editable')} hint={t('builder.prefill_editable_hint')} checked={q.prefill.editable} onChange={(editable) => set({ prefill: { ...q.prefill!, editable } })} />}
    </>
  );
}

function Messages({ q, id, set }: { q: Question; id: (part: string) => string; set: Setter }) {
  const errors = q.errors ?? {};
  return (
    <details class="govuk-details" open={Object.keys(errors).length > 0}>
      <summary class="govuk-details__summary">
        <span class="govuk-details__summary-text">{t('builder.messages')}</span>
      </summary>
      <div class="govuk-details__text">
        <p class="govuk-body">{t('builder.messages_lead')}</p>
        {rulesOf(q).map((rule) => (
          <SideBySide
            key={rule}
            id={id(`error-${rule}`)}
            legend={t(`builder.rule.${rule}`)}
            hint={t('builder.optional_hint')}
            texts={errors[rule]}
            onChange={(texts) => {
              const next = { ...errors };
              for (const code of RULE_CODES[rule] ?? [rule]) next[code] = texts;
              set({ errors: next });
            }}
          />
        ))}
      </div>
    </details>
  );
}

function Household({ q, id, set, selectedMember, onSelectMember }: { q: Question; id: (part: string) => string; set: Setter; selectedMember?: string; onSelectMember?: (name: string | undefined) => void }) {
  const members = q.questions ?? [];
  const textual = members.filter((m) => m.type === 'short_text');
  const updateMember = (index: number, member: Question) => {
    const old = members[index];
    const next = members.map((m, i) => (i === index ? member : m.condition?.question === old.name ? { ...m, condition: { ...m.condition, question: member.name } } : m));
    set({ questions: next, ...(q.summaryField === old.name ? { summaryField: member.name } : {}) });
    if (old.name !== member.name) onSelectMember?.(member.name);
  };
  const move = (index: number, delta: number) => {
    const to = index + delta;
    if (to < 0 || to >= members.length) return;
    const next = [...members];
    [next[index], next[to]] = [next[to], next[index]];
    set({ questions: next });
    requestAnimationFrame(() => document.getElementById(`${id('member')}-${members[index].name}-${delta < 0 ? 'up' : 'down'}`)?.focus());
  };
  return (
    <>
      <SideBySide id={id('item-label')} legend={t('builder.item_label')} hint={t('builder.item_label_hint')} texts={q.itemLabel} onChange={(itemLabel) => set({ itemLabel })} />
      <SideBySide id={id('items-label')} legend={t('builder.items_label')} hint={t('builder.optional_hint')} texts={q.itemsLabel} onChange={(itemsLabel) => set({ itemsLabel })} />
      <NumberInput id={id('min-items')} label={t('builder.min_members')} value={q.minItems} onChange={(minItems) => set({ minItems })} />
      <NumberInput id={id('max-items')} label={t('builder.max_members')} hint={t('builder.max_members_hint')} value={q.maxItems} onChange={(maxItems) => set({ maxItems: maxItems === undefined ? undefined : Math.min(maxItems, 30) })} />
      <Select
        id={id('summary-field')}
        label={t('builder.summary_field')}
        hint={t('builder.summary_field_hint')}
        value={q.summaryField ?? ''}
        options={textual.map((m): [string, string] => [m.name, questionTitle(m)])}
        onChange={(summaryField) => set({ summaryField })}
      />
      <h4 class="govuk-heading-s">{t('builder.member_questions')}</h4>
      <ol class="govuk-list govuk-list--number">
        {members.map((member, index) => {
          const open = selectedMember === member.name;
          const base = `${id('member')}-${member.name}`;
          return (
            <li key={index} class="govuk-!-margin-bottom-4">
              <p class="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">
                {questionTitle(member)} <span class="govuk-caption-s">({typeName(member.type)})</span>
              </p>
              <SmallButton id={`${base}-edit`} text={open ? t('builder.close') : t('builder.edit')} about={questionTitle(member)} onClick={() => onSelectMember?.(open ? undefined : member.name)} />
              <SmallButton id={`${base}-up`} text={t('builder.move_up')} about={questionTitle(member)} disabled={index === 0} onClick={() => move(index, -1)} />
              <SmallButton id={`${base}-down`} text={t('builder.move_down')} about={questionTitle(member)} disabled={index === members.length - 1} onClick={() => move(index, 1)} />
              <SmallButton text={t('builder.remove')} about={questionTitle(member)} warning onClick={() => set({ questions: members.filter((_, i) => i !== index).map((m) => (m.condition?.question === member.name ? { ...m, condition: undefined } : m)) })} />
              {open && (
                <div class="govuk-inset-text">
                  <QuestionEditor question={member} siblings={members} idBase={`q-${q.name}.${member.name}`} inGroup onChange={(m) => updateMember(index, m)} />
                  {['short_text', 'date', 'choose_one'].includes(member.type) && (
                  <Select
                    id={`q-${q.name}.${member.name}-household-field`}
                    label={t('builder.household_field')}
                    hint={t('builder.household_field_hint')}
                    value={member.householdField ?? ''}
                    options={[['', t('builder.prefill.none')], ...HOUSEHOLD_FIELDS.map((f): [string, string] => [f, t(`builder.household.${f}`)])]}
                    onChange={(householdField) => updateMember(index, { ...member, householdField: householdField || undefined })}
                  />
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ol>
      <AddQuestion
        id={id('add-member-question')}
        types={QUESTION_TYPES.filter((type) => type !== 'household' && type !== 'statement' && type !== 'address')}
        onAdd={(type) => {
          const member = newQuestion(type, members.map((m) => m.name));
          set({ questions: [...members, member] });
          onSelectMember?.(member.name);
        }}
      />
    </>
  );
}

/** "Add a question": its type, then the button. */
export function AddQuestion({ id, types, onAdd, label }: { id: string; types: readonly QuestionType[]; onAdd: (type: QuestionType) => void; label?: string }) {
  let chosen: QuestionType = types[0];
  return (
    <div class="govuk-form-group">
      <label class="govuk-label" for={`${id}-type`}>
        {label ?? t('builder.new_question_type')}
      </label>
      <select class="govuk-select" id={`${id}-type`} onChange={(e) => (chosen = (e.currentTarget as HTMLSelectElement).value as QuestionType)}>
        {types.map((type) => (
          <option key={type} value={type}>
            {typeName(type)}
          </option>
        ))}
      </select>{' '}
      <button type="button" id={id} class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" onClick={(e) => onAdd((((e.currentTarget as HTMLElement).previousElementSibling as HTMLSelectElement | null)?.value as QuestionType) || chosen)}>
        {t('builder.add_question')}
      </button>
    </div>
  );
}
