/**
 * The "details" task: what people read about the programme — its name, what it is, who can apply
 * and what they get, each in every language side by side — when applications open and close
 * (days picked with the browser's date picker, never typed as ISO moments), and how many days a
 * decision usually takes.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import { BackLink, ErrorSummary } from '../../components/govuk';
import { useTitle } from '../../components/page';
import { LOCALES, localized, t } from '../../i18n';
import { navigate } from '../../router';
import { describedByOf, FieldGroup, TextField } from '../fields';
import { messageFor, problemsOf, summaryOf, type Problem } from '../problems';
import { cleanTexts, LOCALE_CODES, textsOf, type Texts } from '../texts';
import { detailsFieldId, programPath, setupHref, WithProgram, type Program } from './common';
import { dayOf, MAX_DECISION_DAYS, momentOf, PERSON_TEXTS, type PersonText } from './tasks';

export function SetupDetails({ id }: { id: string }) {
  return <WithProgram id={id}>{(program) => <DetailsForm program={program} />}</WithProgram>;
}

/** Long texts get a text area; the name a one-line input. */
const ROWS: Record<PersonText, number | undefined> = { name: undefined, description: 4, eligibility: 4, benefit: 2 };

function DetailsForm({ program }: { program: Program }) {
  const [texts, setTexts] = useState<Record<PersonText, Texts>>(() => Object.fromEntries(PERSON_TEXTS.map((name) => [name, textsOf(program[name])])) as Record<PersonText, Texts>);
  const [days, setDays] = useState(program.decision_days != null ? String(program.decision_days) : '');
  const [window_, setWindow] = useState({ opens_at: dayOf(program.opens_at), closes_at: dayOf(program.closes_at) });
  const [problems, setProblems] = useState<Problem[]>([]);
  const name = localized(program.name) || program.program_id;
  useTitle(t('staff.setup.details.title', { name }), problems.length > 0);
  // The task list's "what is missing" links here with the field's id: put the cursor in it.
  // After the page's heading has taken the focus a navigation gives it (App.tsx), not before.
  useEffect(() => {
    const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    if (!target) return;
    let tries = 0;
    const timer = window.setInterval(() => {
      if (document.activeElement === document.querySelector('main h1') || tries++ > 40) {
        window.clearInterval(timer);
        target.focus();
      }
    }, 50);
    return () => window.clearInterval(timer);
  }, []);

  const save = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: Problem[] = [];
    if (!texts.name.en.trim()) found.push({ id: 'setup-name-en', text: t('staff.error.name_en') });
    const opens = momentOf(window_.opens_at, 'start');
    const closes = momentOf(window_.closes_at, 'end');
    if (opens === undefined) found.push({ id: 'setup-opens-at', text: t('staff.setup.error.day') });
    if (closes === undefined) found.push({ id: 'setup-closes-at', text: t('staff.setup.error.day') });
    if (opens && closes && new Date(closes) <= new Date(opens)) found.push({ id: 'setup-closes-at', text: t('staff.setup.error.closes_before_opening') });
    const dayCount = days.trim() ? Number(days.trim()) : null;
    if (dayCount !== null && (!/^\d{1,3}$/.test(days.trim()) || dayCount < 1 || dayCount > MAX_DECISION_DAYS)) {
      found.push({ id: 'setup-decision-days', text: t('staff.setup.error.decision_days', { max: MAX_DECISION_DAYS }) });
    }
    setProblems(found);
    if (found.length) return;
    const body: Record<string, unknown> = { version: program.version, decision_days: dayCount, opens_at: opens, closes_at: closes };
    for (const key of PERSON_TEXTS) {
      const cleaned = cleanTexts(texts[key]);
      if (Object.keys(cleaned).length) body[key] = cleaned;
    }
    try {
      await api('PATCH', programPath(program.program_id), { staff: true, body });
      navigate(`${setupHref(program.program_id)}?done=details`);
    } catch (error) {
      setProblems(problemsOf(error, detailsFieldId, 'setup-name-en'));
    }
  };

  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-full">
        <BackLink href={setupHref(program.program_id)} />
        <ErrorSummary errors={summaryOf(problems)} />
        <span class="govuk-caption-l">{name}</span>
        <h1 class="govuk-heading-l">{t('staff.setup.task.details')}</h1>
        <p class="govuk-body">{t('staff.setup.details.lead')}</p>
        <form onSubmit={save} noValidate action="#">
          {PERSON_TEXTS.map((key) => (
            <SideBySide key={key} id={`setup-${key}`} legend={t(`staff.setup.field.${key}`)} hint={t(`staff.setup.field.${key}_hint`)} rows={ROWS[key]} texts={texts[key]} onChange={(value) => setTexts({ ...texts, [key]: value })} problems={problems} />
          ))}
          <h2 class="govuk-heading-m">{t('staff.setup.details.when')}</h2>
          <DateField id="setup-opens-at" label={t('staff.setup.field.opens_at')} hint={t('staff.setup.field.opens_at_hint')} value={window_.opens_at} onChange={(opens_at) => setWindow({ ...window_, opens_at })} problems={problems} />
          <DateField id="setup-closes-at" label={t('staff.setup.field.closes_at')} hint={t('staff.setup.field.closes_at_hint')} value={window_.closes_at} onChange={(closes_at) => setWindow({ ...window_, closes_at })} problems={problems} />
          <DaysField value={days} onInput={setDays} problems={problems} />
          <button type="submit" class="govuk-button">
            {t('staff.setup.save_and_return')}
          </button>
        </form>
      </div>
    </div>
  );
}

/** One text in every language, side by side on a wide screen, one under the other on a phone. */
function SideBySide(props: { id: string; legend: string; hint: string; rows?: number; texts: Texts; onChange: (texts: Texts) => void; problems: Problem[] }) {
  const { id, legend, hint, rows, texts, onChange, problems } = props;
  return (
    <fieldset class="govuk-fieldset govuk-!-margin-bottom-6" aria-describedby={`${id}-hint`}>
      <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">{legend}</legend>
      <div class="govuk-hint" id={`${id}-hint`}>
        {hint}
      </div>
      <div class="govuk-grid-row">
        {LOCALE_CODES.map((code) => (
          <div class="govuk-grid-column-one-third" key={code}>
            <TextField
              id={`${id}-${code}`}
              label={<span lang={code}>{LOCALES[code].name}</span>}
              lang={code}
              rows={rows}
              value={texts[code]}
              problems={problems}
              onInput={(value) => onChange({ ...texts, [code]: value })}
            />
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/** A day picked with the browser's own date picker (keyboard-operable, read out by screen readers). */
export function DateField({ id, label, hint, value, onChange, problems }: { id: string; label: string; hint: string; value: string; onChange: (value: string) => void; problems: Problem[] }) {
  const error = messageFor(problems, id);
  return (
    <FieldGroup id={id} label={label} labelSize="s" hint={hint} error={error}>
      <input
        class={`govuk-input govuk-input--width-10${error ? ' govuk-input--error' : ''}`}
        type="date"
        id={id}
        aria-describedby={describedByOf(id, hint, error)}
        value={value}
        onInput={(e) => onChange(e.currentTarget.value)}
      />
    </FieldGroup>
  );
}

function DaysField({ value, onInput, problems }: { value: string; onInput: (value: string) => void; problems: Problem[] }) {
  const id = 'setup-decision-days';
  const error = messageFor(problems, id);
  const hint = t('staff.setup.field.decision_days_hint');
  return (
    <FieldGroup id={id} label={t('staff.setup.field.decision_days')} labelSize="s" hint={hint} error={error}>
      <div class="govuk-input__wrapper">
        <input
          class={`govuk-input govuk-input--width-3${error ? ' govuk-input--error' : ''}`}
          id={id}
          inputMode="numeric"
          spellcheck={false}
          aria-describedby={describedByOf(id, hint, error)}
          value={value}
          onInput={(e) => onInput(e.currentTarget.value)}
        />
        <div class="govuk-input__suffix" aria-hidden="true">
          {t('staff.setup.days')}
        </div>
      </div>
    </FieldGroup>
  );
}
