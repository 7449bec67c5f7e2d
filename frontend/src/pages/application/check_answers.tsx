/** Check your answers: everything on one page, the programme's statements, then send. */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../api/client';
import { BackLink, ErrorSummary, type ErrorItem } from '../../components/govuk';
import { errorMessage, LoadState, useTitle } from '../../components/page';
import { fieldOfPointer } from '../../forms/model';
import { errorText } from '../../forms/render';
import { t } from '../../i18n';
import { navigate } from '../../router';
import { AnswersSummary } from './answers';
import { consentBody, Consents } from './consents';
import { programName, useApplication, type Application } from './loaded';
import { leaveIfSent } from './sent';
import { tasks } from './task_list';

function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function CheckAnswers({ id }: { id: string }) {
  const state = useApplication(id);
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [busy, setBusy] = useState(false);
  const [key] = useState(newIdempotencyKey);
  // Statements agreed to at an earlier submission (answering a request for information) stay agreed.
  const [agreed, setAgreed] = useState<Set<string>>(() => new Set(state.loaded ? agreedBefore(state.loaded.application) : []));
  useEffect(() => {
    const earlier = state.loaded ? agreedBefore(state.loaded.application) : [];
    if (earlier.length) setAgreed((current) => new Set([...current, ...earlier]));
  }, [state.loaded?.application.application_id]);
  const [consentErrors, setConsentErrors] = useState<Set<string>>(new Set());
  useTitle(t('check.title'), errors.length > 0);
  const loaded = state.loaded;
  if (!loaded) return <LoadState loading={state.loading} error={state.error} retry={state.reload} />;
  const { application, model } = loaded;
  if (leaveIfSent(loaded)) return null;
  const consentItem = (id: string): ErrorItem => ({ href: `#consent-${id}`, text: t('check.consent_required') });
  const send = async () => {
    // Required statements not agreed to: said here at once (the server refuses them too).
    const missing = loaded.consents.filter((c) => c.required !== false && !agreed.has(c.id)).map((c) => c.id);
    setConsentErrors(new Set(missing));
    if (missing.length) {
      setErrors(missing.map(consentItem));
      return;
    }
    setBusy(true);
    setErrors([]);
    try {
      await api<Application>('POST', `/applications/${encodeURIComponent(application.application_id)}/submit`, {
        body: { version: application.version, ...(loaded.consents.length ? consentBody(loaded.consents, agreed) : {}) },
        headers: { 'Idempotency-Key': key },
      });
      navigate(`/applications/${application.application_id}/confirmation`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) {
        const items: ErrorItem[] = [];
        const refused = new Set<string>();
        for (const [pointer, code] of Object.entries(error.fields)) {
          if (pointer.startsWith('/consents/')) {
            const id = decodeURIComponent(pointer.slice('/consents/'.length).split('/')[0]);
            refused.add(id);
            items.push(consentItem(id));
            continue;
          }
          if (pointer.startsWith('/documents/')) {
            items.push({ href: `/applications/${application.application_id}/documents?return=check`, text: t('documents.error.required') });
            continue;
          }
          const name = fieldOfPointer(model, pointer);
          const page = name ? model.pages.find((p) => p.fields.includes(name)) : undefined;
          if (name && page) items.push({ href: `/applications/${application.application_id}/pages/${page.id}?return=check`, text: errorText(model.fields[name], { code }) as string });
        }
        setConsentErrors(refused);
        setErrors(items.length ? items : [{ href: '', text: errorMessage(error) }]);
        // Statements this page does not show yet (added to the programme meanwhile): load them
        // (the application's screen reads its programme with it).
        if ([...refused].some((id) => !loaded.consents.some((c) => c.id === id))) state.reload();
      } else setErrors([{ href: '', text: errorMessage(error) }]);
    } finally {
      setBusy(false);
    }
  };
  const incomplete = tasks(loaded).some((task) => task.status !== 'completed');
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <BackLink href={`/applications/${application.application_id}`} />
        <ErrorSummary errors={errors} />
        <span class="govuk-caption-l">{programName(application)}</span>
        <h1 class="govuk-heading-l">{t('check.title')}</h1>
        {incomplete && <div class="govuk-inset-text">{t('check.incomplete')}</div>}
        <AnswersSummary loaded={loaded} changeLinks />
        {loaded.consents.length > 0 && (
          <Consents
            statements={loaded.consents}
            agreed={agreed}
            errors={consentErrors}
            onChange={(id, on) => {
              setAgreed((current) => {
                const next = new Set(current);
                if (on) next.add(id);
                else next.delete(id);
                return next;
              });
              if (on) setConsentErrors((current) => new Set([...current].filter((c) => c !== id)));
            }}
          />
        )}
        <h2 class="govuk-heading-m">{t('check.declaration')}</h2>
        <p class="govuk-body">{t('check.declaration_body')}</p>
        <button type="button" class="govuk-button" data-module="govuk-button" disabled={busy} onClick={send}>
          {t('check.send')}
        </button>
      </div>
    </div>
  );
}

/** The statements agreed to with an earlier submission: on the application, or named in its timeline. */
function agreedBefore(application: Application): string[] {
  return [...(application.consents ?? []).map((c) => c.id), ...(application.timeline ?? []).flatMap((e) => e.consents ?? [])];
}
