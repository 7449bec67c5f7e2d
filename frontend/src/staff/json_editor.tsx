/** The JSON editor of forms and profile forms, with its live preview drawn by the registrant's renderer. */
import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { getAt, setAt, toAnswer, toRaw, visibleFields, type Answers, type FormModel, type RawValue } from '../forms/model';
import { FormFields } from '../forms/render';
import { localized, t } from '../i18n';
import { describedByOf, FieldGroup } from './fields';
import { messageFor, type Problem } from './problems';

/** A JSON editor: a monospace textarea that says when its text is not JSON. */
export function JsonField(props: { id: string; label: string; hint?: string; value: string; onInput: (value: string) => void; readOnly?: boolean; problems: Problem[]; rows?: number }) {
  const { id, label, hint, value, onInput, readOnly, problems, rows = 16 } = props;
  let invalid = false;
  try {
    JSON.parse(value);
  } catch {
    invalid = true;
  }
  const error = messageFor(problems, id) ?? (invalid ? t('staff.invalid_json') : undefined);
  return (
    <FieldGroup id={id} label={label} labelSize="s" hint={hint} error={error}>
      <textarea
        class={`govuk-textarea ssp-json-editor${error ? ' govuk-textarea--error' : ''}`}
        id={id}
        rows={rows}
        readOnly={readOnly}
        spellcheck={false}
        dir="ltr"
        aria-describedby={describedByOf(id, hint, error)}
        value={value}
        onInput={(e) => onInput((e.currentTarget as HTMLTextAreaElement).value)}
      />
    </FieldGroup>
  );
}

/** Parse JSON, or undefined. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The live preview's model from the texts of two JSON editors: undefined while either is not a
 * JSON object or `build` cannot make a form of them.
 */
export function usePreviewModel(first: string, second: string, build: (first: Record<string, unknown>, second: Record<string, unknown>) => FormModel): FormModel | undefined {
  return useMemo(() => {
    const a = parseJson(first);
    const b = parseJson(second);
    if (!a || typeof a !== 'object' || !b || typeof b !== 'object') return undefined;
    try {
      return build(a as Record<string, unknown>, b as Record<string, unknown>);
    } catch {
      return undefined;
    }
  }, [first, second]);
}

/** An editor on the left half of the page and, on the right, the form it edits as a person will see it. */
export function EditorAndPreview({ model, children }: { model: FormModel | undefined; children: ComponentChildren }) {
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-one-half">{children}</div>
      <div class="govuk-grid-column-one-half">
        <LivePreview model={model} />
      </div>
    </div>
  );
}

/**
 * The form as a person will see it, page by page, drawn by the registrant app's renderer. It
 * answers as a person would, so conditional questions appear as they will.
 */
function LivePreview({ model }: { model: FormModel | undefined }) {
  const [raw, setRaw] = useState<Record<string, RawValue>>({});
  let answers: Answers = {};
  if (model) for (const [name, value] of Object.entries(raw)) if (model.fields[name]) answers = setAt(answers, name, toAnswer(model.fields[name], value).value);
  const visible = model ? visibleFields(model, answers) : new Set<string>();
  return (
    <section aria-labelledby="preview-title">
      <h2 class="govuk-heading-m" id="preview-title">
        {t('staff.preview')}
      </h2>
      <div class="ssp-preview">
        {!model && <p class="govuk-body">{t('staff.preview_unavailable')}</p>}
        {model &&
          model.pages.map((page) => (
            <div key={page.id}>
              {model.pages.length > 1 || localized(page.title) ? <h3 class="govuk-heading-s">{localized(page.title)}</h3> : null}
              <FormFields
                model={model}
                names={page.fields.filter((n) => visible.has(n))}
                raw={{ ...Object.fromEntries(model.order.map((n) => [n, toRaw(model.fields[n], getAt(answers, n))])), ...raw }}
                errors={{}}
                required={model.required}
                onChange={(name, value) => setRaw((r) => ({ ...r, [name]: value }))}
              />
            </div>
          ))}
      </div>
    </section>
  );
}
