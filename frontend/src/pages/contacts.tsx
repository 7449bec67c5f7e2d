/**
 * How the person is told when something changes: SMS, email, both or none, and the phone or
 * address each uses. A phone or address typed here is used only once confirmed with the code
 * sent to it; the phone the ID provider verified needs no code.
 */
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { useApi } from '../api/hooks';
import { BackLink, ErrorSummary, type ErrorItem } from '../components/govuk';
import { errorMessage, LoadState, Page } from '../components/page';
import { t } from '../i18n';

type Channel = 'sms' | 'email';
const CHANNELS: Channel[] = ['sms', 'email'];

interface Contact {
  value?: string | null;
  source?: string | null;
  pending?: string | null;
}

interface Settings {
  channels: Channel[];
  default: boolean;
  contacts: Record<Channel, Contact>;
}

function ConfirmContact({ channel, settings, onChanged }: { channel: Channel; settings: Settings; onChanged: (s: Settings) => void }) {
  const [value, setValue] = useState('');
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string>();
  const pending = settings.contacts[channel]?.pending;
  const send = async (event: Event) => {
    event.preventDefault();
    setProblem(undefined);
    try {
      onChanged(await api<Settings>('POST', `/me/contacts/${channel}`, { body: { value: value.trim() } }));
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  const confirm = async (event: Event) => {
    event.preventDefault();
    setProblem(undefined);
    try {
      onChanged(await api<Settings>('POST', `/me/contacts/${channel}/confirm`, { body: { code: code.trim() } }));
      setCode('');
      setValue('');
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  const id = `new-${channel}`;
  return (
    <details class="govuk-details">
      <summary class="govuk-details__summary">
        <span class="govuk-details__summary-text">{t(`contacts.add.${channel}`)}</span>
      </summary>
      <div class="govuk-details__text">
        {problem && (
          <p class="govuk-error-message" role="alert">
            {problem}
          </p>
        )}
        <form onSubmit={send} noValidate>
          <div class="govuk-form-group">
            <label class="govuk-label" for={id}>
              {t(`contacts.label.${channel}`)}
            </label>
            <div class="govuk-hint" id={`${id}-hint`}>
              {t(`contacts.hint.${channel}`)}
            </div>
            <input
              class="govuk-input govuk-!-width-two-thirds ssp-ltr"
              id={id}
              type={channel === 'sms' ? 'tel' : 'email'}
              autocomplete={channel === 'sms' ? 'tel' : 'email'}
              aria-describedby={`${id}-hint`}
              value={value}
              onInput={(e) => setValue((e.target as HTMLInputElement).value)}
            />
          </div>
          <button type="submit" class="govuk-button govuk-button--secondary">
            {t('contacts.send_code')}
          </button>
        </form>
        {pending && (
          <form onSubmit={confirm} noValidate>
            <div class="govuk-form-group">
              <label class="govuk-label" for={`${id}-code`}>
                {t('contacts.code', { contact: pending })}
              </label>
              <input
                class="govuk-input govuk-input--width-5 ssp-ltr"
                id={`${id}-code`}
                inputMode="numeric"
                autocomplete="one-time-code"
                value={code}
                onInput={(e) => setCode((e.target as HTMLInputElement).value)}
              />
            </div>
            <button type="submit" class="govuk-button">
              {t('contacts.confirm')}
            </button>
          </form>
        )}
      </div>
    </details>
  );
}

export function Contacts() {
  const loaded = useApi<Settings>('/me/contacts');
  const [settings, setSettings] = useState<Settings>();
  const [chosen, setChosen] = useState<Channel[]>();
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [saved, setSaved] = useState(false);
  const current = settings ?? loaded.data;
  const picked = chosen ?? current?.channels ?? [];
  const save = async (event: Event) => {
    event.preventDefault();
    setSaved(false);
    try {
      const answer = await api<Settings>('PUT', '/me/contacts', { body: { channels: picked } });
      setSettings(answer);
      setChosen(undefined);
      setErrors([]);
      setSaved(true);
    } catch (error) {
      setErrors([{ href: `#channel-${picked[0] ?? 'sms'}`, text: errorMessage(error) }]);
    }
  };
  return (
    <Page title={t('contacts.title')} errors={errors.length > 0}>
      <BackLink href="/me" />
      <ErrorSummary errors={errors} />
      <h1 class="govuk-heading-l">{t('contacts.title')}</h1>
      <LoadState loading={loaded.loading} error={loaded.error} retry={loaded.reload} />
      {saved && (
        <p class="govuk-body" role="status">
          {t('contacts.saved')}
        </p>
      )}
      {current && (
        <>
          <form onSubmit={save} noValidate>
            <div class="govuk-form-group">
              <fieldset class="govuk-fieldset" aria-describedby="channels-hint">
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">{t('contacts.how')}</legend>
                <div class="govuk-hint" id="channels-hint">
                  {t('contacts.how_hint')}
                </div>
                <div class="govuk-checkboxes" data-module="govuk-checkboxes">
                  {CHANNELS.map((channel) => {
                    const contact = current.contacts[channel];
                    return (
                      <div class="govuk-checkboxes__item" key={channel}>
                        <input
                          class="govuk-checkboxes__input"
                          id={`channel-${channel}`}
                          type="checkbox"
                          checked={picked.includes(channel)}
                          disabled={!contact?.value}
                          aria-describedby={`channel-${channel}-hint`}
                          onChange={(e) =>
                            setChosen((e.target as HTMLInputElement).checked ? [...picked, channel] : picked.filter((c) => c !== channel))
                          }
                        />
                        <label class="govuk-label govuk-checkboxes__label" for={`channel-${channel}`}>
                          {t(`messages.channel.${channel}`)}
                        </label>
                        <div class="govuk-hint govuk-checkboxes__hint" id={`channel-${channel}-hint`}>
                          {contact?.value ? (
                            <>
                              <span class="ssp-ltr">{contact.value}</span> ({t(`contacts.source.${contact.source ?? 'confirmed'}`)})
                            </>
                          ) : (
                            t(`contacts.none.${channel}`)
                          )}
                        </div>
                      </div>
                    );
                  })}
                </div>
              </fieldset>
            </div>
            <p class="govuk-body">{t('contacts.inbox_always')}</p>
            <button type="submit" class="govuk-button">
              {t('contacts.save')}
            </button>
          </form>
          {CHANNELS.map((channel) => (
            <ConfirmContact key={channel} channel={channel} settings={current} onChanged={setSettings} />
          ))}
        </>
      )}
    </Page>
  );
}
