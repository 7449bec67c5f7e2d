/**
 * Integrations: the ministry's systems that receive signed webhooks. Administrators register an
 * endpoint (its secret is shown once), see which are paused (a day of failed tries pauses one),
 * read each endpoint's delivery log, rotate its secret, pause, resume and replay a range.
 */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import { useApi } from '../api/hooks';
import { BackLink, ErrorSummary, SummaryCard, SummaryList, type ErrorItem } from '../components/govuk';
import { errorMessage, LoadState, Page } from '../components/page';
import { formatDate, has, t } from '../i18n';
import { navigate } from '../router';
import { ShowMore, usePaged } from './paging';

export interface Endpoint {
  id: string;
  url: string;
  description: string;
  event_types: string[];
  state: 'active' | 'paused';
  paused_reason?: string | null;
  paused_at?: string | null;
  failing_since?: string | null;
}

interface Delivery {
  event_id: string;
  event_type: string;
  state: string;
  attempts: number;
  last_status?: number | null;
  last_error?: string | null;
  last_attempt_at?: string | null;
  replays: number;
}

const BASE = '/admin/integrations/endpoints';

function problems(error: unknown, field: string): ErrorItem[] {
  if (error instanceof ApiError && Object.keys(error.fields).length) {
    return Object.entries(error.fields).map(([, code]) => ({ href: `#${field}`, text: has(`staff.integrations.refused.${code}`) ? t(`staff.integrations.refused.${code}`) : errorMessage(error) }));
  }
  return [{ href: `#${field}`, text: errorMessage(error) }];
}

/** A moment in the console's language ("6 December 2026 at 16:53"), not the browser's. */
function when(iso?: string | null): string {
  return iso ? formatDate(iso, true) : '';
}

/** What an event type means, in the console's language ('' for a type the catalogs do not know yet). */
export function eventMeaning(type: string): string {
  const key = `staff.integrations.event_type.${type}`;
  return has(key) ? t(key) : '';
}

/** Event types as a list: each one's meaning, with the name the receiving system reads beneath it. */
function EventList({ types }: { types: string[] }) {
  return (
    <ul class="govuk-list govuk-!-margin-bottom-0">
      {types.map((type) => (
        <li key={type}>
          {eventMeaning(type)}
          <span class="govuk-hint govuk-body-s govuk-!-display-block govuk-!-margin-bottom-0">
            <bdi dir="ltr">{type}</bdi>
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Why an endpoint is paused, as the console's banner says it. */
export function PausedNotice({ endpoint }: { endpoint: Endpoint }) {
  if (endpoint.state !== 'paused') return null;
  const reason = endpoint.paused_reason === 'failing_for_a_day' ? t('staff.integrations.paused_failing', { since: when(endpoint.failing_since) }) : t('staff.integrations.paused_by_admin');
  return (
    <div class="govuk-warning-text" role="alert">
      <span class="govuk-warning-text__icon" aria-hidden="true">
        !
      </span>
      <strong class="govuk-warning-text__text">
        <span class="govuk-visually-hidden">{t('staff.integrations.warning')}</span>
        {endpoint.url}: {reason}
      </strong>
    </div>
  );
}

/** On the console's home page, for administrators: each paused endpoint, linked to its page. */
export function PausedEndpoints() {
  const endpoints = useApi<{ items: Endpoint[] }>(BASE, { staff: true });
  const paused = (endpoints.data?.items ?? []).filter((endpoint) => endpoint.state === 'paused');
  return (
    <>
      {paused.map((endpoint) => (
        <div key={endpoint.id}>
          <PausedNotice endpoint={endpoint} />
          <p class="govuk-body">
            <a class="govuk-link" href={`/staff/integrations/${encodeURIComponent(endpoint.id)}`}>
              {t('staff.integrations.open_endpoint')}
            </a>
          </p>
        </div>
      ))}
    </>
  );
}

function SecretOnce({ secret }: { secret: string }) {
  return (
    <div class="govuk-panel govuk-panel--confirmation" role="status">
      <h2 class="govuk-panel__title">{t('staff.integrations.secret_title')}</h2>
      <div class="govuk-panel__body">
        <p>{t('staff.integrations.secret_once')}</p>
        <code class="ssp-ltr" dir="ltr">
          {secret}
        </code>
      </div>
    </div>
  );
}

export function IntegrationsAdmin() {
  const endpoints = useApi<{ items: Endpoint[] }>(BASE, { staff: true });
  const types = useApi<{ event_types: string[] }>('/admin/integrations/event-types', { staff: true });
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [secret, setSecret] = useState<string>();

  const add = async (e: Event) => {
    e.preventDefault();
    try {
      const made = await api<Endpoint & { secret: string }>('POST', BASE, { staff: true, body: { url: url.trim(), event_types: chosen, description } });
      setErrors([]);
      setSecret(made.secret);
      setUrl('');
      setDescription('');
      setChosen([]);
      endpoints.reload();
    } catch (error) {
      setErrors(problems(error, error instanceof ApiError && Object.keys(error.fields).some((f) => f.startsWith('/event_types')) ? 'endpoint-types' : 'endpoint-url'));
    }
  };
  const items = endpoints.data?.items ?? [];

  return (
    <Page title={t('staff.integrations.title')} errors={errors.length > 0} wide>
      <BackLink href="/staff" />
      <ErrorSummary errors={errors} />
      <h1 class="govuk-heading-l">{t('staff.integrations.title')}</h1>
      <p class="govuk-body">{t('staff.integrations.lead')}</p>
      <LoadState loading={endpoints.loading} error={endpoints.error} retry={endpoints.reload} />
      {items.map((endpoint) => (
        <PausedNotice key={endpoint.id} endpoint={endpoint} />
      ))}
      {secret && <SecretOnce secret={secret} />}
      {endpoints.data && items.length === 0 && <p class="govuk-body">{t('staff.integrations.none')}</p>}
      {/* A card per endpoint, not a table: event names as a list, so nothing scrolls sideways on a phone. */}
      {items.length > 0 && (
        <ul class="govuk-list">
          {items.map((endpoint) => (
            <SummaryCard
              key={endpoint.id}
              title={<bdi dir="ltr">{endpoint.url}</bdi>}
              href={`/staff/integrations/${encodeURIComponent(endpoint.id)}`}
              titleClass="govuk-!-text-break-word"
              rows={[
                ...(endpoint.description ? [{ key: t('staff.integrations.description_label'), value: <bdi>{endpoint.description}</bdi> }] : []),
                { key: t('staff.integrations.events'), value: <EventList types={endpoint.event_types} /> },
                {
                  key: t('staff.integrations.state'),
                  value: <strong class={`govuk-tag${endpoint.state === 'paused' ? ' govuk-tag--red' : ' govuk-tag--green'}`}>{t(`staff.integrations.state.${endpoint.state}`)}</strong>,
                },
              ]}
            />
          ))}
        </ul>
      )}
      <h2 class="govuk-heading-m">{t('staff.integrations.add')}</h2>
      <form onSubmit={add} noValidate>
        <div class="govuk-form-group">
          <label class="govuk-label" for="endpoint-url">
            {t('staff.integrations.url')}
          </label>
          <div class="govuk-hint">{t('staff.integrations.url_hint')}</div>
          <input class="govuk-input ssp-ltr" dir="ltr" id="endpoint-url" type="url" spellcheck={false} value={url} onInput={(e) => setUrl((e.target as HTMLInputElement).value)} />
        </div>
        <div class="govuk-form-group">
          <fieldset class="govuk-fieldset" id="endpoint-types">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{t('staff.integrations.events')}</legend>
            <div class="govuk-checkboxes govuk-checkboxes--small">
              {(types.data?.event_types ?? []).map((type) => (
                <div class="govuk-checkboxes__item" key={type}>
                  <input
                    class="govuk-checkboxes__input"
                    id={`type-${type}`}
                    type="checkbox"
                    aria-describedby={eventMeaning(type) ? `type-${type}-hint` : undefined}
                    checked={chosen.includes(type)}
                    onChange={(e) => setChosen((e.target as HTMLInputElement).checked ? [...chosen, type] : chosen.filter((c) => c !== type))}
                  />
                  <label class="govuk-label govuk-checkboxes__label ssp-ltr" for={`type-${type}`}>
                    {type}
                  </label>
                  {eventMeaning(type) && (
                    <div class="govuk-hint govuk-checkboxes__hint" id={`type-${type}-hint`}>
                      {eventMeaning(type)}
                    </div>
                  )}
                </div>
              ))}
            </div>
          </fieldset>
        </div>
        <div class="govuk-form-group">
          <label class="govuk-label" for="endpoint-description">
            {t('staff.integrations.description')}
          </label>
          <input class="govuk-input" id="endpoint-description" maxLength={200} value={description} onInput={(e) => setDescription((e.target as HTMLInputElement).value)} />
        </div>
        <button type="submit" class="govuk-button">
          {t('staff.integrations.add')}
        </button>
      </form>
    </Page>
  );
}

export function IntegrationEndpoint({ id }: { id: string }) {
  const path = `${BASE}/${encodeURIComponent(id)}`;
  const endpoint = useApi<Endpoint>(path, { staff: true });
  const [state, setState] = useState('');
  const log = usePaged<Delivery>(`${path}/deliveries`, { state: state || undefined, limit: '50' });
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [done, setDone] = useState<string>();
  const [secret, setSecret] = useState<string>();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');

  const act = async (what: 'pause' | 'resume' | 'rotate' | 'delete') => {
    try {
      if (what === 'delete') {
        await api('DELETE', path, { staff: true });
        navigate('/staff/integrations');
        return;
      }
      const answer = await api<{ secret?: string; queued?: number }>('POST', what === 'rotate' ? `${path}/secret/rotate` : `${path}/${what}`, { staff: true });
      setErrors([]);
      setSecret(answer.secret);
      setDone(what === 'resume' ? t('staff.integrations.resumed', { queued: answer.queued ?? 0 }) : undefined);
      endpoint.reload();
      log.reload();
    } catch (error) {
      setErrors(problems(error, 'endpoint-actions'));
    }
  };
  const replay = async (e: Event) => {
    e.preventDefault();
    try {
      const iso = (local: string) => (local ? new Date(local).toISOString() : '');
      const answer = await api<{ queued: number }>('POST', `${path}/replay`, { staff: true, body: { from: iso(from), to: iso(to) } });
      setErrors([]);
      setDone(t('staff.integrations.replayed', { queued: answer.queued }));
      log.reload();
    } catch (error) {
      setErrors(problems(error, 'replay-from'));
    }
  };
  const shown = endpoint.data;

  return (
    <Page title={t('staff.integrations.endpoint')} errors={errors.length > 0} wide>
      <BackLink href="/staff/integrations" />
      <ErrorSummary errors={errors} />
      <h1 class="govuk-heading-l">{t('staff.integrations.endpoint')}</h1>
      <LoadState loading={endpoint.loading} error={endpoint.error} retry={endpoint.reload} />
      {shown && (
        <>
          <PausedNotice endpoint={shown} />
          {secret && <SecretOnce secret={secret} />}
          {done && (
            <p class="govuk-body" role="status">
              {done}
            </p>
          )}
          <SummaryList
            rows={[
              { key: t('staff.integrations.url'), value: <span class="ssp-ltr" dir="ltr">{shown.url}</span> },
              { key: t('staff.integrations.events'), value: <EventList types={shown.event_types} /> },
              { key: t('staff.integrations.state'), value: t(`staff.integrations.state.${shown.state}`) },
            ]}
          />
          <div class="govuk-button-group" id="endpoint-actions">
            {shown.state === 'paused' ? (
              <button type="button" class="govuk-button" onClick={() => act('resume')}>
                {t('staff.integrations.resume')}
              </button>
            ) : (
              <button type="button" class="govuk-button govuk-button--secondary" onClick={() => act('pause')}>
                {t('staff.integrations.pause')}
              </button>
            )}
            <button type="button" class="govuk-button govuk-button--secondary" onClick={() => act('rotate')}>
              {t('staff.integrations.rotate')}
            </button>
            <button type="button" class="govuk-button govuk-button--warning" onClick={() => act('delete')}>
              {t('staff.integrations.remove')}
            </button>
          </div>
        </>
      )}
      <h2 class="govuk-heading-m">{t('staff.integrations.log')}</h2>
      <div class="govuk-form-group">
        <label class="govuk-label" for="log-state">
          {t('staff.integrations.state')}
        </label>
        <select class="govuk-select" id="log-state" value={state} onChange={(e) => setState((e.target as HTMLSelectElement).value)}>
          <option value="">{t('staff.integrations.all')}</option>
          {['delivered', 'retrying', 'failed', 'paused', 'queued', 'skipped'].map((s) => (
            <option key={s} value={s}>
              {t(`staff.integrations.delivery.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <LoadState loading={log.loading && !log.loaded} error={log.error} retry={log.reload} />
      {log.loaded && log.items.length === 0 && <p class="govuk-body">{t('staff.integrations.log_empty')}</p>}
      {/* A card per delivery, not a five-column table: it scrolled 200 px sideways on a phone. */}
      {log.items.length > 0 && (
        <ul class="govuk-list">
          {log.items.map((line) => (
            <SummaryCard
              key={line.event_id}
              level={3}
              title={eventMeaning(line.event_type) || <bdi dir="ltr">{line.event_type}</bdi>}
              rows={[
                { key: t('staff.integrations.state'), value: t(`staff.integrations.delivery.${line.state}`) },
                { key: t('staff.integrations.attempts'), value: String(line.attempts) },
                {
                  key: t('staff.integrations.last_answer'),
                  value: <bdi dir="ltr">{[line.last_status, line.last_error].filter((part) => part !== null && part !== undefined).join(' ')}</bdi>,
                },
                { key: t('staff.integrations.last_try'), value: when(line.last_attempt_at) },
                {
                  key: t('staff.integrations.event'),
                  value: (
                    <>
                      <bdi dir="ltr">{line.event_type}</bdi>
                      <span class="govuk-hint govuk-body-s govuk-!-display-block govuk-!-margin-bottom-0 govuk-!-text-break-word">
                        <bdi dir="ltr">{line.event_id}</bdi>
                      </span>
                    </>
                  ),
                },
              ]}
            />
          ))}
        </ul>
      )}
      <ShowMore more={log.more} />
      <h2 class="govuk-heading-m">{t('staff.integrations.replay')}</h2>
      <p class="govuk-body">{t('staff.integrations.replay_lead')}</p>
      <form onSubmit={replay} noValidate>
        <div class="govuk-form-group">
          <label class="govuk-label" for="replay-from">
            {t('staff.integrations.from')}
          </label>
          <input class="govuk-input govuk-input--width-20" id="replay-from" type="datetime-local" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </div>
        <div class="govuk-form-group">
          <label class="govuk-label" for="replay-to">
            {t('staff.integrations.to')}
          </label>
          <input class="govuk-input govuk-input--width-20" id="replay-to" type="datetime-local" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
        </div>
        <button type="submit" class="govuk-button govuk-button--secondary">
          {t('staff.integrations.replay')}
        </button>
      </form>
    </Page>
  );
}
