/**
 * The live preview: the form drawn by the registrant app's own renderer, in the language and at
 * the width chosen here, answering as a person would (conditions show and hide questions) and
 * checking a page to show the form's own error messages.
 */
import { useMemo, useState } from 'preact/hooks';
import { buildModel, getAt, requiredFields, setAt, toAnswer, toRaw, validateFields, visibleFields, type Answers, type FormModel, type RawValue } from '../../forms/model';
import { errorText, FormFields, StatementText } from '../../forms/render';
import { locale as consoleLocale, LOCALES, localized, t, type Locale } from '../../i18n';
import { BUILDER_LOCALES, Select } from './controls';
import type { Definition } from './model';

/** Every text of the UI schema in one language (the preview's), whatever the console's language is. */
function inLocale(value: unknown, locale: Locale): unknown {
  if (Array.isArray(value)) return value.map((v) => inLocale(v, locale));
  if (!value || typeof value !== 'object') return value;
  const map = value as Record<string, unknown>;
  const keys = Object.keys(map);
  if (keys.length && keys.every((k) => /^[a-z]{2,3}(-[A-Z]{2})?$/.test(k)) && keys.every((k) => typeof map[k] === 'string')) {
    return (map[locale] as string) ?? `[${t('builder.no_translation')}] ${String(map.en ?? Object.values(map)[0])}`;
  }
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, inLocale(v, locale)]));
}

export function Preview({ definition }: { definition: Definition }) {
  const [locale, setLocale] = useState<Locale>('en');
  const [width, setWidth] = useState<'phone' | 'desktop'>('desktop');
  const [page, setPage] = useState(0);
  const [raw, setRaw] = useState<Record<string, RawValue>>({});
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [memberRaw, setMemberRaw] = useState<Record<string, RawValue>>({});
  const ui = useMemo(() => inLocale(definition.ui_schema, locale) as Record<string, any>, [definition, locale]);
  const model: FormModel | undefined = useMemo(() => {
    try {
      return buildModel(definition.schema, ui);
    } catch {
      return undefined;
    }
  }, [definition, ui]);
  const pages: { id: string; title: string; fields: string[] }[] = Array.isArray(ui.pages) ? ui.pages : [];
  const shown = Math.min(page, Math.max(pages.length - 1, 0));
  let answers: Answers = {};
  if (model) for (const [name, value] of Object.entries(raw)) if (model.fields[name]) answers = setAt(answers, name, toAnswer(model.fields[name], value).value);
  const visible = model ? visibleFields(model, answers) : new Set<string>();
  const current = pages[shown];
  const sameDirection = LOCALES[locale].dir === LOCALES[consoleLocale()].dir;
  const check = () => {
    if (!model || !current) return;
    const names = current.fields.filter((n) => model.fields[n]);
    const problems = validateFields(model, answers, names);
    setErrors(Object.fromEntries(Object.entries(problems).map(([name, problem]) => [name, errorText(model.fields[name], problem)])));
  };
  // Runs of questions the renderer draws, with the statements between them (drawn here until the renderer knows them).
  const runs: (string[] | { statement: string } | { group: string })[] = [];
  for (const pointer of current?.fields ?? []) {
    if (model?.fields[pointer]?.repeat) runs.push({ group: pointer });
    else if (model?.fields[pointer]) {
      if (!visible.has(pointer)) continue;
      const last = runs[runs.length - 1];
      if (Array.isArray(last)) last.push(pointer);
      else runs.push([pointer]);
    } else if (ui.fields?.[pointer]?.widget === 'statement') runs.push({ statement: pointer });
  }
  return (
    <section aria-labelledby="preview-title" class="govuk-!-margin-bottom-6">
      <h2 class="govuk-heading-m" id="preview-title">
        {t('builder.preview')}
      </h2>
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-one-half">
          <Select
            id="preview-language"
            label={t('builder.preview_language')}
            value={locale}
            options={BUILDER_LOCALES.map((code) => [code, LOCALES[code].name])}
            onChange={(value) => {
              setLocale(value as Locale);
              setErrors({});
            }}
          />
        </div>
        <div class="govuk-grid-column-one-half">
          <Select
            id="preview-width"
            label={t('builder.preview_width')}
            value={width}
            options={[
              ['desktop', t('builder.width.desktop')],
              ['phone', t('builder.width.phone')],
            ]}
            onChange={(value) => setWidth(value as 'phone' | 'desktop')}
          />
        </div>
      </div>
      {pages.length > 1 && (
        <Select
          id="preview-page"
          label={t('builder.preview_page')}
          value={String(shown)}
          options={pages.map((p, i): [string, string] => [String(i), `${i + 1}. ${localized(p.title)}`])}
          onChange={(value) => {
            setPage(Number(value));
            setErrors({});
          }}
        />
      )}
      {/* The portal's own words and the stylesheet's direction are the console's: the preview says how to see the page exactly. */}
      {locale !== consoleLocale() && (
        <p class="govuk-inset-text" id="preview-note">
          {t(sameDirection ? 'builder.preview_other_language' : 'builder.preview_direction', { language: LOCALES[locale].name })}
        </p>
      )}
      <div class="ssp-preview" lang={locale} dir={sameDirection ? LOCALES[locale].dir : undefined} style={width === 'phone' ? { maxWidth: '320px', boxSizing: 'border-box', overflowX: 'auto' } : undefined} data-width={width}>
        {!model && <p class="govuk-body">{t('staff.preview_unavailable')}</p>}
        {model && current && (
          <>
            <h3 class="govuk-heading-m">{localized(current.title)}</h3>
            {runs.map((run, index) =>
              'group' in run ? (
                <Member key={run.group} model={model} name={run.group} raw={memberRaw} onChange={(name, value) => setMemberRaw((r) => ({ ...r, [name]: value }))} />
              ) : Array.isArray(run) ? (
                <FormFields
                  key={index}
                  model={model}
                  names={run}
                  raw={{ ...Object.fromEntries(model.order.map((n) => [n, toRaw(model.fields[n], getAt(answers, n))])), ...raw }}
                  errors={errors}
                  required={requiredFields(model, answers)}
                  onChange={(name, value) => setRaw((r) => ({ ...r, [name]: value }))}
                />
              ) : (
                <div key={run.statement} class="govuk-!-margin-bottom-6">
                  {ui.fields[run.statement].label && <h4 class="govuk-heading-s">{String(ui.fields[run.statement].label)}</h4>}
                  <StatementText text={String(ui.fields[run.statement].text)} />
                </div>
              ),
            )}
            <button type="button" class="govuk-button govuk-button--secondary" id="preview-check" onClick={check}>
              {t('builder.preview_check')}
            </button>
          </>
        )}
      </div>
    </section>
  );
}

/** A household group: its question, then one member's questions as the person will answer them for each member. */
function Member({ model, name, raw, onChange }: { model: FormModel; name: string; raw: Record<string, RawValue>; onChange: (name: string, value: RawValue) => void }) {
  const field = model.fields[name];
  const member = field.repeat!.model;
  let answers: Answers = {};
  for (const [key, value] of Object.entries(raw)) if (member.fields[key]) answers = setAt(answers, key, toAnswer(member.fields[key], value).value);
  const visible = visibleFields(member, answers);
  return (
    <div class="govuk-!-margin-bottom-6">
      <h4 class="govuk-heading-s">{localized(field.label)}</h4>
      {field.hint && <p class="govuk-hint">{localized(field.hint)}</p>}
      <div class="govuk-inset-text">
        <p class="govuk-body govuk-!-font-weight-bold">{t('builder.preview_member', { item: localized(field.repeat!.itemLabel) })}</p>
        <FormFields
          model={member}
          names={member.order.filter((n) => visible.has(n))}
          raw={{ ...Object.fromEntries(member.order.map((n) => [n, toRaw(member.fields[n], getAt(answers, n))])), ...raw }}
          errors={{}}
          required={requiredFields(member, answers)}
          onChange={onChange}
        />
      </div>
    </div>
  );
}
