/**
 * The officer's desk (/staff/officer): the edge agent at a glance (paired or not, devices and
 * their status, captures waiting, the last error), pairing with it, "help a person" (ID number,
 * finger / face / iris, capture, quality, verified or refused with the reason), and today's work.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, itemsOf } from '../../api/client';
import { ErrorMessage, ErrorSummary, Table } from '../../components/govuk';
import { Page } from '../../components/page';
import { formatNumber, t } from '../../i18n';
import { navigate } from '../../router';
import { staffUser } from '../user';
import {
  AgentError,
  agentAddress,
  agentDevices,
  agentState,
  capture,
  confirmPairing,
  isPaired,
  sendQueue,
  setAgentAddress,
  startPairing,
  unpair,
  type AgentDevice,
  type AgentState,
  type CaptureResult,
} from './agent';
import { isSignInExpired, OfflineBanner, problemText, SignInAgain, useOnline } from './common';
import { noteWork, todaysWork } from './desk_store';

const MODALITIES = ['finger', 'face', 'iris'] as const;

function statusKey(status: string): string {
  return `officer.status.${status.toLowerCase().replace(/ /g, '_')}`;
}

export function OfficerDesk() {
  const online = useOnline();
  const [paired, setPaired] = useState(isPaired());
  const [state, setState] = useState<AgentState>();
  const [devices, setDevices] = useState<AgentDevice[]>();
  const [agentProblem, setAgentProblem] = useState<unknown>();

  const refresh = async (withDevices = false) => {
    if (!isPaired()) {
      setPaired(false);
      return;
    }
    try {
      setState(await agentState());
      if (withDevices) setDevices(await agentDevices());
      setAgentProblem(undefined);
    } catch (error) {
      setAgentProblem(error);
      if (error instanceof AgentError && error.code === 'pairing_required') setPaired(false);
    }
  };
  useEffect(() => {
    void refresh(true);
    const timer = setInterval(() => void refresh(false), 5000);
    return () => clearInterval(timer);
  }, [paired]);

  return (
    <Page title={t('officer.desk')} wide>
      <h1 class="govuk-heading-l">{t('officer.desk')}</h1>
      <OfflineBanner online={online} />
      <AgentPanel paired={paired} state={state} devices={devices} problem={agentProblem} onPaired={() => setPaired(true)} onRefresh={() => refresh(true)} onUnpaired={() => setPaired(false)} />
      {paired && <HelpPerson onDone={() => refresh(true)} />}
      <Today />
    </Page>
  );
}

function AgentPanel({
  paired,
  state,
  devices,
  problem,
  onPaired,
  onRefresh,
  onUnpaired,
}: {
  paired: boolean;
  state?: AgentState;
  devices?: AgentDevice[];
  problem?: unknown;
  onPaired: () => void;
  onRefresh: () => void;
  onUnpaired: () => void;
}) {
  return (
    <section aria-labelledby="agent-title" class="govuk-!-margin-bottom-8">
      <h2 class="govuk-heading-m" id="agent-title">
        {t('officer.agent')}
      </h2>
      {!paired ? (
        <Pairing onPaired={onPaired} />
      ) : (
        <>
          {problem ? (
            <p class="govuk-body" role="alert" id="agent-problem">
              {problemText(problem)}
            </p>
          ) : null}
          <dl class="govuk-summary-list">
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">{t('officer.agent_paired')}</dt>
              <dd class="govuk-summary-list__value" id="agent-paired">
                {t('officer.agent_paired_yes', { address: agentAddress() })}
              </dd>
            </div>
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">{t('officer.waiting')}</dt>
              <dd class="govuk-summary-list__value" id="agent-queue">
                {state ? t('officer.waiting_count', { count: state.queue.pending, n: formatNumber(state.queue.pending) }) : '…'}
              </dd>
            </div>
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">{t('officer.last_error')}</dt>
              <dd class="govuk-summary-list__value">{state?.last_error ? state.last_error.error : t('officer.none')}</dd>
            </div>
          </dl>
          {devices && (
            <Table caption={t('officer.devices')} captionSize="s" headers={[t('officer.device'), t('officer.device_status'), t('officer.device_note')]}>
              {devices.length === 0 ? (
                <tr class="govuk-table__row">
                  <td class="govuk-table__cell" colSpan={3}>
                    {t('officer.no_devices')}
                  </td>
                </tr>
              ) : (
                devices.map((d) => (
                  <tr class="govuk-table__row" key={`${d.port}-${d.type}`}>
                    <td class="govuk-table__cell">{t(`officer.modality.${d.modality}`)}</td>
                    <td class="govuk-table__cell">
                      <strong class={`govuk-tag ${d.status === 'Ready' ? 'govuk-tag--green' : 'govuk-tag--yellow'}`}>{t(statusKey(d.status))}</strong>
                    </td>
                    <td class="govuk-table__cell">{d.problem ? t(`${statusKey(d.status)}_help`) : `${d.make} ${d.model}`}</td>
                  </tr>
                ))
              )}
            </Table>
          )}
          <div class="govuk-button-group">
            <button type="button" class="govuk-button govuk-button--secondary" onClick={onRefresh}>
              {t('officer.check_devices')}
            </button>
            {state && state.queue.pending > 0 && (
              <button type="button" class="govuk-button govuk-button--secondary" onClick={() => void sendQueue().then(onRefresh, onRefresh)}>
                {t('officer.send_now')}
              </button>
            )}
            <button type="button" class="govuk-button govuk-button--warning" onClick={() => void unpair().finally(onUnpaired)}>
              {t('officer.unpair')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}

function Pairing({ onPaired }: { onPaired: () => void }) {
  const [pairingId, setPairingId] = useState<string>();
  const [code, setCode] = useState('');
  const [address, setAddress] = useState(agentAddress());
  const [problem, setProblem] = useState<string>();
  const [codeError, setCodeError] = useState<string>();
  // Which console asks: the agent shows this name beside the code, so two consoles pairing at once
  // each find their own.
  const [label] = useState(() => `${staffUser()?.name ?? t('staff.title')} · ${Math.random().toString(36).slice(2, 6).toUpperCase()}`);
  const start = async () => {
    setProblem(undefined);
    setAgentAddress(address);
    try {
      setPairingId(await startPairing(label));
    } catch (error) {
      setProblem(problemText(error));
    }
  };
  const confirm = async (event: Event) => {
    event.preventDefault();
    if (!/^\d{3} ?\d{3}$/.test(code.trim())) {
      setCodeError(t('officer.code_format'));
      return;
    }
    try {
      await confirmPairing(pairingId as string, code);
      onPaired();
    } catch (error) {
      if (error instanceof AgentError && error.code !== 'pairing_code_wrong') setPairingId(undefined);
      setCodeError(problemText(error));
    }
  };
  if (!pairingId)
    return (
      <>
        {problem && <ErrorSummary errors={[{ href: '', text: problem }]} />}
        <p class="govuk-body">{t('officer.not_paired')}</p>
        <p class="govuk-body">{t('officer.pairing_browser_note')}</p>
        <details class="govuk-details">
          <summary class="govuk-details__summary">
            <span class="govuk-details__summary-text">{t('officer.agent_address')}</span>
          </summary>
          <div class="govuk-details__text">
            <label class="govuk-label" for="agent-address">
              {t('officer.agent_address')}
            </label>
            <input class="govuk-input govuk-input--width-20" id="agent-address" value={address} spellcheck={false} onInput={(e) => setAddress((e.currentTarget as HTMLInputElement).value)} />
          </div>
        </details>
        <button type="button" class="govuk-button" onClick={start}>
          {t('officer.pair')}
        </button>
      </>
    );
  return (
    <form onSubmit={confirm} noValidate>
      {codeError && <ErrorSummary errors={[{ href: '#pairing-code', text: codeError }]} />}
      <div class={`govuk-form-group${codeError ? ' govuk-form-group--error' : ''}`}>
        <label class="govuk-label govuk-label--s" for="pairing-code">
          {t('officer.pairing_code')}
        </label>
        <div class="govuk-hint" id="pairing-code-hint">
          {t('officer.pairing_code_hint_for', { console: label })}{' '}
          <a class="govuk-link" href={`${agentAddress()}/`} target="_blank" rel="noopener noreferrer">
            {t('officer.status_page')}
          </a>
        </div>
        <ErrorMessage id="pairing-code-error" text={codeError} />
        <input
          class={`govuk-input govuk-input--width-10${codeError ? ' govuk-input--error' : ''}`}
          id="pairing-code"
          inputMode="numeric"
          autocomplete="one-time-code"
          aria-describedby={`pairing-code-hint${codeError ? ' pairing-code-error' : ''}`}
          value={code}
          onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      <button class="govuk-button">{t('officer.confirm_pairing')}</button>
    </form>
  );
}

type Outcome = { kind: 'result'; result: CaptureResult } | { kind: 'problem'; error: unknown };

function HelpPerson({ onDone }: { onDone: () => void }) {
  const [idNumber, setIdNumber] = useState('');
  const [modality, setModality] = useState<string>('finger');
  const [busy, setBusy] = useState(false);
  const [idError, setIdError] = useState<string>();
  const [outcome, setOutcome] = useState<Outcome>();
  const result = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (outcome) result.current?.focus();
  }, [outcome]);

  const run = async (event?: Event) => {
    event?.preventDefault();
    if (!/^[A-Za-z0-9-]{4,64}$/.test(idNumber.trim())) {
      setIdError(t('officer.id_number_error'));
      return;
    }
    setIdError(undefined);
    setBusy(true);
    setOutcome(undefined);
    try {
      const answer = await capture(idNumber.trim(), modality);
      if (answer.state === 'verified' && answer.assisted_session) noteWork({ kind: 'session', session_id: answer.assisted_session.session_id });
      setOutcome({ kind: 'result', result: answer });
    } catch (error) {
      setOutcome({ kind: 'problem', error });
    } finally {
      setBusy(false);
      onDone();
    }
  };

  return (
    <section aria-labelledby="help-title" class="govuk-!-margin-bottom-8">
      <h2 class="govuk-heading-m" id="help-title">
        {t('officer.help_person')}
      </h2>
      {idError && <ErrorSummary errors={[{ href: '#id-number', text: idError }]} />}
      <form onSubmit={run} noValidate>
        <div class={`govuk-form-group${idError ? ' govuk-form-group--error' : ''}`}>
          <label class="govuk-label govuk-label--s" for="id-number">
            {t('officer.id_number')}
          </label>
          <div class="govuk-hint" id="id-number-hint">
            {t('officer.id_number_hint')}
          </div>
          <ErrorMessage id="id-number-error" text={idError} />
          <input
            class={`govuk-input govuk-input--width-20${idError ? ' govuk-input--error' : ''}`}
            id="id-number"
            autocomplete="off"
            spellcheck={false}
            aria-describedby={`id-number-hint${idError ? ' id-number-error' : ''}`}
            value={idNumber}
            onInput={(e) => setIdNumber((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
        <div class="govuk-form-group">
          <fieldset class="govuk-fieldset">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{t('officer.modality')}</legend>
            <div class="govuk-radios govuk-radios--inline" data-module="govuk-radios">
              {MODALITIES.map((m) => (
                <div class="govuk-radios__item" key={m}>
                  <input class="govuk-radios__input" id={`modality-${m}`} name="modality" type="radio" value={m} checked={modality === m} onChange={() => setModality(m)} />
                  <label class="govuk-label govuk-radios__label" for={`modality-${m}`}>
                    {t(`officer.modality.${m}`)}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
        <button class="govuk-button" disabled={busy} aria-disabled={busy || undefined}>
          {t('officer.capture')}
        </button>
      </form>
      <div aria-live="polite" role="status">
        {busy && <p class="govuk-body">{t(`officer.capturing.${modality}`)}</p>}
      </div>
      {outcome && (
        <div ref={result} tabIndex={-1} id="capture-outcome">
          <CaptureOutcome outcome={outcome} onRetry={() => void run()} />
        </div>
      )}
    </section>
  );
}

function CaptureOutcome({ outcome, onRetry }: { outcome: Outcome; onRetry: () => void }) {
  if (outcome.kind === 'problem') {
    const retry = outcome.error instanceof AgentError && ['101', '102', '105', '110', '111'].includes(outcome.error.deviceCode ?? '');
    return (
      <div class="govuk-error-summary" role="alert">
        <h3 class="govuk-error-summary__title">{t('officer.not_captured')}</h3>
        <div class="govuk-error-summary__body">
          <p class="govuk-body">{problemText(outcome.error)}</p>
          {isSignInExpired(outcome.error) ? <SignInAgain /> : null}
          {retry && (
            <button type="button" class="govuk-button govuk-button--secondary" onClick={onRetry}>
              {t('officer.try_again')}
            </button>
          )}
        </div>
      </div>
    );
  }
  const { result } = outcome;
  const quality = typeof result.quality === 'number' ? <p class="govuk-body">{t('officer.quality', { score: formatNumber(result.quality), min: formatNumber(result.min_quality ?? 0) })}</p> : null;
  if (result.state === 'verified' && result.assisted_session)
    return (
      <div class="govuk-notification-banner govuk-notification-banner--success" role="alert">
        <div class="govuk-notification-banner__content">
          <h3 class="govuk-notification-banner__heading">{t('officer.verified')}</h3>
          {quality}
          <a class="govuk-link" href={`/staff/officer/sessions/${encodeURIComponent(result.assisted_session.session_id)}`}>
            {t('officer.open_session')}
          </a>
        </div>
      </div>
    );
  if (result.state === 'queued')
    return (
      <div class="govuk-inset-text" role="alert">
        <h3 class="govuk-heading-s">{t('officer.queued')}</h3>
        <p class="govuk-body">{t('officer.queued_body')}</p>
      </div>
    );
  const low = result.code === 'capture_low_quality';
  return (
    <div class="govuk-error-summary" role="alert">
      <h3 class="govuk-error-summary__title">{t('officer.refused')}</h3>
      <div class="govuk-error-summary__body">
        <p class="govuk-body" id="refusal-reason">
          {t(`officer.refusal.${result.code}`) === `officer.refusal.${result.code}` ? result.message : t(`officer.refusal.${result.code}`)}
        </p>
        {quality}
        {(low || result.code === 'identity_not_matched') && (
          <button type="button" class="govuk-button govuk-button--secondary" onClick={onRetry}>
            {t('officer.try_again')}
          </button>
        )}
      </div>
    </div>
  );
}

interface SessionView {
  session_id: string;
  opened_at: string;
  expires_at: string;
  status: string;
}

function Today() {
  const [open, setOpen] = useState<SessionView[]>();
  useEffect(() => {
    api<unknown>('GET', '/assisted/sessions', { staff: true }).then(
      (d) => setOpen(itemsOf<SessionView>(d)),
      () => setOpen([]),
    );
  }, []);
  const work = todaysWork();
  const submitted = work.filter((w) => w.kind === 'submitted');
  return (
    <section aria-labelledby="today-title">
      <h2 class="govuk-heading-m" id="today-title">
        {t('officer.today')}
      </h2>
      <h3 class="govuk-heading-s">{t('officer.open_sessions')}</h3>
      {open && open.length === 0 && <p class="govuk-body">{t('officer.no_open_sessions')}</p>}
      {open && open.length > 0 && (
        <ul class="govuk-list">
          {open.map((s) => (
            <li key={s.session_id}>
              <a class="govuk-link" href={`/staff/officer/sessions/${encodeURIComponent(s.session_id)}`}>
                {t('officer.session_opened_at', { time: new Date(s.opened_at).toLocaleTimeString() })}
              </a>
            </li>
          ))}
        </ul>
      )}
      <h3 class="govuk-heading-s">{t('officer.submitted_today')}</h3>
      {submitted.length === 0 ? (
        <p class="govuk-body">{t('officer.none')}</p>
      ) : (
        <ul class="govuk-list">
          {submitted.map((w) => (
            <li key={w.application_id}>
              {w.program} – {t('officer.reference', { reference: w.reference ?? '' })} ({new Date(w.at).toLocaleTimeString()})
            </li>
          ))}
        </ul>
      )}
      <p class="govuk-body">
        <a class="govuk-link" href="/staff" onClick={(e) => (e.preventDefault(), navigate('/staff'))}>
          {t('officer.back_to_console')}
        </a>
      </p>
    </section>
  );
}
