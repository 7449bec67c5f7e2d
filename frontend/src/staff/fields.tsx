/** GOV.UK form fields for staff forms: text, select, and a text in each language. */
import type { ComponentChildren, JSX } from 'preact';
import { ErrorMessage } from '../components/govuk';
import { LOCALES, t, type Locale } from '../i18n';
import { messageFor, type Problem } from './problems';
import { LOCALE_CODES, looksUntranslated, type Texts } from './texts';

/** What a control's aria-describedby names: its hint and its error message, those it has. */
export function describedByOf(id: string, hint: string | undefined, error: string | undefined): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

/** The GOV.UK form group around one control: its label, its hint and its error message. */
export function FieldGroup(props: { id: string; label: ComponentChildren; labelSize?: 's'; hint?: string; error?: string; children: ComponentChildren }) {
  const { id, label, labelSize, hint, error, children } = props;
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <label class={`govuk-label${labelSize ? ` govuk-label--${labelSize}` : ''}`} for={id}>
        {label}
      </label>
      {hint && (
        <div class="govuk-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      <ErrorMessage id={`${id}-error`} text={error} />
      {children}
    </div>
  );
}

interface InputProps {
  id: string;
  label: ComponentChildren;
  hint?: string;
  value: string;
  onInput: (value: string) => void;
  problems: Problem[];
  width?: string;
  lang?: string;
  inputMode?: 'numeric' | 'text';
  rows?: number;
  ltr?: boolean;
}

/** A GOV.UK text input (or textarea when `rows` is given) with its hint and error message. */
export function TextField({ id, label, hint, value, onInput, problems, width, lang, inputMode, rows, ltr }: InputProps) {
  const error = messageFor(problems, id);
  const describedBy = describedByOf(id, hint, error);
  const handle = (e: JSX.TargetedEvent<HTMLInputElement | HTMLTextAreaElement>) => onInput(e.currentTarget.value);
  return (
    <FieldGroup id={id} label={label} hint={hint} error={error}>
      {rows ? (
        <textarea class={`govuk-textarea${error ? ' govuk-textarea--error' : ''}`} id={id} rows={rows} lang={lang} dir="auto" aria-describedby={describedBy} value={value} onInput={handle} />
      ) : (
        <input
          class={`govuk-input${width ? ` govuk-input--width-${width}` : ''}${error ? ' govuk-input--error' : ''}${ltr ? ' ssp-ltr' : ''}`}
          id={id}
          lang={lang}
          dir={ltr ? 'ltr' : 'auto'}
          inputMode={inputMode}
          spellcheck={ltr ? false : undefined}
          aria-describedby={describedBy}
          value={value}
          onInput={handle}
        />
      )}
    </FieldGroup>
  );
}

/** A GOV.UK select with its error message; `options` are [value, text] pairs, in order. */
export function SelectField(props: { id: string; label: string; value: string; onChange: (value: string) => void; options: [string, string][]; problems: Problem[] }) {
  const { id, label, value, onChange, options, problems } = props;
  const error = messageFor(problems, id);
  return (
    <FieldGroup id={id} label={label} error={error}>
      <select
        class={`govuk-select${error ? ' govuk-select--error' : ''}`}
        id={id}
        aria-describedby={describedByOf(id, undefined, error)}
        value={value}
        onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}
      >
        {options.map(([option, text]) => (
          <option key={option} value={option}>
            {text}
          </option>
        ))}
      </select>
    </FieldGroup>
  );
}

/** The name of a language in that language, marked up so screen readers say it right. */
function LanguageName({ code }: { code: Locale }) {
  return <span lang={code}>{LOCALES[code].name}</span>;
}

/** A text in each language: one field per language inside a fieldset. */
export function LocaleTexts(props: { id: string; legend: string; hint?: string; texts: Texts; onChange: (texts: Texts) => void; problems: Problem[]; rows?: number }) {
  const { id, legend, hint, texts, onChange, problems, rows } = props;
  return (
    <fieldset class="govuk-fieldset govuk-!-margin-bottom-4" aria-describedby={hint ? `${id}-hint` : undefined}>
      <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
      {hint && (
        <div class="govuk-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {LOCALE_CODES.map((code) => (
        <TextField
          key={code}
          id={`${id}-${code}`}
          label={<LanguageName code={code} />}
          lang={code}
          rows={rows}
          value={texts[code]}
          hint={code !== LOCALE_CODES[0] && looksUntranslated(texts[LOCALE_CODES[0]], texts[code], code) ? t('staff.looks_untranslated') : undefined}
          problems={problems}
          onInput={(value) => onChange({ ...texts, [code]: value })}
        />
      ))}
    </fieldset>
  );
}
