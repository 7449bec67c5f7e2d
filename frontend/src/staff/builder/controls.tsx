/** Small GOV.UK controls of the form builder: a text in every language side by side, a select, a checkbox, a number. */
import type { ComponentChildren } from 'preact';
import { LOCALES, t, type Locale } from '../../i18n';
import type { Texts } from './model';

export const BUILDER_LOCALES = Object.keys(LOCALES) as Locale[];

/** One text in each language, side by side on a wide screen (one column each), one under the other on a phone. */
export function SideBySide(props: { id: string; legend: ComponentChildren; hint?: string; texts: Texts | undefined; onChange: (texts: Texts) => void; rows?: number; missing?: boolean }) {
  const { id, legend, hint, texts = {}, onChange, rows } = props;
  return (
    <fieldset class="govuk-fieldset govuk-!-margin-bottom-4" aria-describedby={hint ? `${id}-hint` : undefined}>
      <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
      {hint && (
        <div class="govuk-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      <div class="govuk-grid-row">
        {BUILDER_LOCALES.map((code) => {
          const inputId = `${id}-${code}`;
          const handle = (e: Event) => onChange({ ...texts, [code]: (e.currentTarget as HTMLInputElement).value });
          return (
            <div class="govuk-grid-column-one-third" key={code}>
              <div class="govuk-form-group govuk-!-margin-bottom-2">
                <label class="govuk-label govuk-label--s" for={inputId}>
                  <span lang={code}>{LOCALES[code].name}</span>
                </label>
                {rows ? (
                  <textarea class="govuk-textarea govuk-!-margin-bottom-0" id={inputId} lang={code} dir={LOCALES[code].dir} rows={rows} value={texts[code] ?? ''} onInput={handle} />
                ) : (
                  <input class="govuk-input" id={inputId} lang={code} dir={LOCALES[code].dir} value={texts[code] ?? ''} onInput={handle} />
                )}
              </div>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

export function Select(props: { id: string; label: string; hint?: string; value: string; options: [string, string][]; onChange: (value: string) => void }) {
  const { id, label, hint, value, options, onChange } = props;
  return (
    <div class="govuk-form-group">
      <label class="govuk-label" for={id}>
        {label}
      </label>
      {hint && (
        <div class="govuk-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      <select class="govuk-select" id={id} value={value} aria-describedby={hint ? `${id}-hint` : undefined} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}>
        {options.map(([option, text]) => (
          <option key={option} value={option}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Checkbox(props: { id: string; label: string; hint?: string; checked: boolean; onChange: (checked: boolean) => void }) {
  const { id, label, hint, checked, onChange } = props;
  return (
    <div class="govuk-form-group">
      <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
        <div class="govuk-checkboxes__item">
          <input class="govuk-checkboxes__input" id={id} type="checkbox" checked={checked} aria-describedby={hint ? `${id}-hint` : undefined} onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)} />
          <label class="govuk-label govuk-checkboxes__label" for={id}>
            {label}
          </label>
          {hint && (
            <div class="govuk-hint govuk-checkboxes__hint" id={`${id}-hint`}>
              {hint}
            </div>
          )}
        </div>
      </div>
    </div>
  );
}

/** A whole number, or nothing (undefined). */
export function NumberInput(props: { id: string; label: string; hint?: string; value: number | undefined; onChange: (value: number | undefined) => void; decimals?: boolean }) {
  const { id, label, hint, value, onChange, decimals } = props;
  return (
    <div class="govuk-form-group">
      <label class="govuk-label" for={id}>
        {label}
      </label>
      {hint && (
        <div class="govuk-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      <input
        class="govuk-input govuk-input--width-10 ssp-ltr"
        id={id}
        inputMode={decimals ? 'decimal' : 'numeric'}
        spellcheck={false}
        aria-describedby={hint ? `${id}-hint` : undefined}
        value={value === undefined ? '' : String(value)}
        onInput={(e) => {
          const text = (e.currentTarget as HTMLInputElement).value.trim();
          const number = Number(text);
          onChange(text === '' || !Number.isFinite(number) ? undefined : decimals ? number : Math.trunc(number));
        }}
      />
    </div>
  );
}

export function TextInput(props: { id: string; label: string; hint?: string; value: string; onChange: (value: string) => void; ltr?: boolean; error?: string }) {
  const { id, label, hint, value, onChange, ltr, error } = props;
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <label class="govuk-label" for={id}>
        {label}
      </label>
      {hint && (
        <div class="govuk-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {error && (
        <p class="govuk-error-message" id={`${id}-error`}>
          <span class="govuk-visually-hidden">{t('common.error_prefix')}</span> {error}
        </p>
      )}
      <input
        class={`govuk-input govuk-input--width-20${ltr ? ' ssp-ltr' : ''}${error ? ' govuk-input--error' : ''}`}
        id={id}
        dir={ltr ? 'ltr' : 'auto'}
        spellcheck={ltr ? false : undefined}
        aria-describedby={described}
        value={value}
        onInput={(e) => onChange((e.currentTarget as HTMLInputElement).value)}
      />
    </div>
  );
}

/** A small secondary button that says what it acts on to a screen reader ("Move up <span>Phone number</span>"). */
export function SmallButton(props: { id?: string; text: string; about?: string; onClick: () => void; warning?: boolean; disabled?: boolean }) {
  const { id, text, about, onClick, warning, disabled } = props;
  return (
    <button
      type="button"
      id={id}
      class={`govuk-button govuk-button--${warning ? 'warning' : 'secondary'} govuk-!-margin-bottom-1 govuk-!-margin-right-1`}
      aria-disabled={disabled ? 'true' : undefined}
      // Looks like GOV.UK's disabled button, yet keeps the focus when a move makes it one (a disabled button would drop it).
      style={disabled ? { opacity: 0.5 } : undefined}
      onClick={() => {
        if (!disabled) onClick();
      }}
    >
      {text}
      {about && <span class="govuk-visually-hidden"> {about}</span>}
    </button>
  );
}
