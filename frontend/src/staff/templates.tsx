/**
 * A programme's messages: what people are told at each event, in each language, with a preview
 * filled with sample values and the SMS parts it takes. A placeholder that does not exist is
 * refused when saving (the API answers which template).
 */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import { useApi } from '../api/hooks';
import { BackLink, ErrorSummary, type ErrorItem } from '../components/govuk';
import { errorMessage, LoadState, Page } from '../components/page';
import { t } from '../i18n';

type Part = 'sms' | 'subject' | 'email';
type Wording = Record<Part, string>;

interface Preview extends Wording {
  sms_encoding: string;
  sms_segments: number;
}

interface Templates {
  own: Record<string, Record<string, Partial<Wording>>>;
  templates: Record<string, Record<string, { template: Wording; preview: Preview }>>;
  placeholders: string[];
}

const LANGUAGES = ['en', 'fr', 'ar'];
const PARTS: Part[] = ['sms', 'subject', 'email'];

export function ProgramTemplates({ id }: { id: string }) {
  const loaded = useApi<Templates>(`/admin/programs/${encodeURIComponent(id)}/templates`, { staff: true });
  const [event, setEvent] = useState<string>();
  const [language, setLanguage] = useState('en');
  const [draft, setDraft] = useState<Partial<Wording>>({});
  const [preview, setPreview] = useState<Preview>();
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [saved, setSaved] = useState(false);
  const data = loaded.data;
  const events = data ? Object.keys(data.templates) : [];
  const chosen = event ?? events[0];
  const stored = data && chosen ? data.templates[chosen][language] : undefined;
  const wording: Wording = { ...(stored?.template ?? { sms: '', subject: '', email: '' }), ...draft };
  const shown = preview ?? stored?.preview;

  const problems = (error: unknown): ErrorItem[] =>
    error instanceof ApiError && Object.keys(error.fields).length
      ? Object.entries(error.fields).map(([pointer, code]) => ({ href: `#template-${pointer.split('/').pop()}`, text: `${pointer.split('/').pop()}: ${code}` }))
      : [{ href: '#template-sms', text: errorMessage(error) }];

  const choose = (nextEvent: string, nextLanguage: string) => {
    setEvent(nextEvent);
    setLanguage(nextLanguage);
    setDraft({});
    setPreview(undefined);
    setErrors([]);
    setSaved(false);
  };
  const showPreview = async () => {
    try {
      setPreview(await api<Preview>('POST', `/admin/programs/${encodeURIComponent(id)}/templates/preview`, { staff: true, body: { event_type: chosen, locale: language, template: wording } }));
      setErrors([]);
    } catch (error) {
      setErrors(problems(error));
    }
  };
  const save = async (e: Event) => {
    e.preventDefault();
    if (!data || !chosen) return;
    const own = { ...data.own, [chosen]: { ...(data.own[chosen] ?? {}), [language]: wording } };
    try {
      await api('PUT', `/admin/programs/${encodeURIComponent(id)}/templates`, { staff: true, body: { templates: own } });
      setErrors([]);
      setDraft({});
      setPreview(undefined);
      setSaved(true);
      loaded.reload();
    } catch (error) {
      setErrors(problems(error));
    }
  };

  return (
    <Page title={t('staff.templates.title')} errors={errors.length > 0} wide>
      <BackLink href={`/staff/programs/${encodeURIComponent(id)}`} />
      <ErrorSummary errors={errors} />
      <h1 class="govuk-heading-l">{t('staff.templates.title')}</h1>
      <LoadState loading={loaded.loading} error={loaded.error} retry={loaded.reload} />
      {data && chosen && (
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-one-half">
            <p class="govuk-body">{t('staff.templates.lead', { placeholders: data.placeholders.map((p) => `{${p}}`).join(' ') })}</p>
            <div class="govuk-form-group">
              <label class="govuk-label" for="template-event">
                {t('staff.templates.event')}
              </label>
              <select class="govuk-select" id="template-event" value={chosen} onChange={(e) => choose((e.target as HTMLSelectElement).value, language)}>
                {events.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </div>
            <div class="govuk-form-group">
              <label class="govuk-label" for="template-language">
                {t('staff.templates.language')}
              </label>
              <select class="govuk-select" id="template-language" value={language} onChange={(e) => choose(chosen, (e.target as HTMLSelectElement).value)}>
                {LANGUAGES.map((code) => (
                  <option key={code} value={code} lang={code}>
                    {code}
                  </option>
                ))}
              </select>
            </div>
            {saved && (
              <p class="govuk-body" role="status">
                {t('staff.templates.saved')}
              </p>
            )}
            <form onSubmit={save} noValidate>
              {PARTS.map((part) => (
                <div class="govuk-form-group" key={part}>
                  <label class="govuk-label govuk-label--s" for={`template-${part}`}>
                    {t(`staff.templates.${part}`)}
                  </label>
                  <textarea
                    class="govuk-textarea"
                    id={`template-${part}`}
                    dir={language === 'ar' ? 'rtl' : 'ltr'}
                    lang={language}
                    rows={part === 'email' ? 6 : part === 'sms' ? 3 : 1}
                    value={wording[part]}
                    onInput={(e) => {
                      setDraft({ ...draft, [part]: (e.target as HTMLTextAreaElement).value });
                      setSaved(false);
                    }}
                  />
                </div>
              ))}
              <div class="govuk-button-group">
                <button type="button" class="govuk-button govuk-button--secondary" onClick={showPreview}>
                  {t('staff.templates.preview')}
                </button>
                <button type="submit" class="govuk-button">
                  {t('staff.templates.save')}
                </button>
              </div>
            </form>
          </div>
          <div class="govuk-grid-column-one-half">
            {shown && (
              <div class="govuk-inset-text" aria-live="polite" lang={language} dir={language === 'ar' ? 'rtl' : 'ltr'}>
                <h2 class="govuk-heading-s">{t('staff.templates.preview')}</h2>
                <p class="govuk-body" style="white-space: pre-wrap; overflow-wrap: anywhere">
                  {shown.sms}
                </p>
                <p class="govuk-hint">{t('staff.templates.segments', { count: shown.sms_segments, encoding: shown.sms_encoding })}</p>
                <p class="govuk-body">
                  <strong>{shown.subject}</strong>
                </p>
                <p class="govuk-body" style="white-space: pre-wrap; overflow-wrap: anywhere">
                  {shown.email}
                </p>
              </div>
            )}
          </div>
        </div>
      )}
    </Page>
  );
}
