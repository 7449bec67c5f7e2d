/**
 * The question bank: any question of any published form, copied into this form with its
 * translations, choices, format and messages. The forms listed are those programmes use, and any
 * other form found by its identifier; each shows its latest published version.
 */
import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import { localized, t } from '../../i18n';
import { usePrograms } from '../programs';
import { Select, SmallButton, TextInput } from './controls';
import { bankQuestions, copyQuestion, fromDefinition, type Question } from './model';
import { questionTitle, typeName } from './question';
import type { StoredVersion } from './builder';

const FORM_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export function Bank({ pages, taken, currentForm, onCopy }: { pages: string[]; taken: string[]; currentForm: string; onCopy: (page: number, question: Question) => void }) {
  const programs = usePrograms(['open', 'draft', 'closed']);
  const [formId, setFormId] = useState('');
  const [page, setPage] = useState('0');
  const [loaded, setLoaded] = useState<{ formId: string; version: number; questions: Question[] }>();
  const [problem, setProblem] = useState<string>();
  const forms = [...new Set([currentForm, ...programs.list.map((p) => p.form_id).filter((f): f is string => Boolean(f))])];
  const load = async (id: string) => {
    setProblem(undefined);
    setLoaded(undefined);
    if (!FORM_ID.test(id)) return setProblem(t('staff.error.form_id'));
    try {
      const { versions } = await api<{ versions: { version: number; status: string }[] }>('GET', `/admin/forms/${encodeURIComponent(id)}`, { staff: true });
      const latest = versions.find((v) => v.status === 'published');
      if (!latest) return setProblem(t('builder.bank_none_published'));
      const version = await api<StoredVersion>('GET', `/admin/forms/${encodeURIComponent(id)}/versions/${latest.version}`, { staff: true });
      setLoaded({ formId: id, version: latest.version, questions: bankQuestions(fromDefinition({ title: version.title as any, schema: version.schema, ui_schema: version.ui_schema, prefill: version.prefill ?? {} })) });
    } catch {
      setProblem(t('builder.bank_not_found'));
    }
  };
  return (
    <details class="govuk-details govuk-!-margin-top-6" id="bank">
      <summary class="govuk-details__summary">
        <span class="govuk-details__summary-text">{t('builder.bank')}</span>
      </summary>
      <div class="govuk-details__text">
        <p class="govuk-body">{t('builder.bank_lead')}</p>
        <Select id="bank-form" label={t('builder.bank_form')} value={formId} options={[['', t('builder.choose')], ...forms.map((f): [string, string] => [f, f])]} onChange={(id) => {
          setFormId(id);
          if (id) void load(id);
        }} />
        <TextInput id="bank-form-id" label={t('builder.bank_other_form')} value={formId} ltr error={problem} onChange={setFormId} />
        <button type="button" id="bank-load" class="govuk-button govuk-button--secondary" onClick={() => void load(formId.trim())}>
          {t('builder.bank_show')}
        </button>
        {loaded && (
          <>
            <h3 class="govuk-heading-s">{t('builder.bank_questions', { form: loaded.formId, n: loaded.version })}</h3>
            <Select id="bank-page" label={t('builder.bank_to_page')} value={page} options={pages.map((p, i): [string, string] => [String(i), p])} onChange={setPage} />
            <ul class="govuk-list">
              {loaded.questions.map((q) => (
                <li key={q.name}>
                  <span class="govuk-body">{questionTitle(q)}</span> <span class="govuk-caption-s">({typeName(q.type)})</span>{' '}
                  <SmallButton id={`bank-copy-${q.name}`} text={t('builder.bank_copy')} about={localized(q.label)} onClick={() => onCopy(Math.min(Number(page), pages.length - 1), copyQuestion(q, taken))} />
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </details>
  );
}
