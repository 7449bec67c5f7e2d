/**
 * What the portal told the person: every SMS and email (and messages kept for the inbox alone),
 * with the channel and whether it was delivered. The application's page shows its own with
 * `ApplicationMessages`.
 */
import { itemsOf } from '../../api/client';
import { useApi } from '../../api/hooks';
import { LoadState, Page } from '../../components/page';
import { formatDate, has, t } from '../../i18n';
import { isolateGroupedNumbers } from '../../text/bidi';

export interface Message {
  message_id: string;
  event_type: string;
  application_id?: string | null;
  reference?: string | null;
  channel: 'sms' | 'email' | 'inbox';
  state: string;
  subject?: string | null;
  body: string;
  created_at?: string | null;
  sent_at?: string | null;
}

export function channelText(channel: string): string {
  return t(`messages.channel.${channel}`);
}

export function stateText(state: string): string {
  const key = `messages.state.${state}`;
  return has(key) ? t(key) : state;
}

/** The messages as a list, newest first: when and how each went, whether it was delivered, and its
 * words (in their own direction: an English SMS on an Arabic page keeps its punctuation in place).
 * Not a table: three columns left the text a few words wide on a phone. */
function MessageRows({ items, heading = true }: { items: Message[]; heading?: boolean }) {
  return (
    <>
      {heading && <h2 class="govuk-heading-m">{t('messages.caption')}</h2>}
      <ul class="govuk-list ssp-messages">
        {items.map((m) => (
          <li class="ssp-message" key={m.message_id}>
            <p class="govuk-body-s ssp-message__meta">
              <span>{formatDate(m.sent_at ?? m.created_at ?? '', true)}</span>
              <span>{channelText(m.channel)}</span>
              <strong class={`govuk-tag ${m.state === 'parked' ? 'govuk-tag--red' : m.state === 'sent' ? 'govuk-tag--green' : 'govuk-tag--grey'}`}>{stateText(m.state)}</strong>
            </p>
            {m.subject && m.channel === 'email' && (
              <p class="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1" dir="auto">
                {isolateGroupedNumbers(m.subject)}
              </p>
            )}
            <p class="govuk-body ssp-message__body" dir="auto">
              {isolateGroupedNumbers(m.body)}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}

export function Messages() {
  const loaded = useApi<unknown>('/me/messages', { query: { limit: '50' } });
  const items = itemsOf<Message>(loaded.data, 'items');
  return (
    <Page title={t('messages.title')} wide>
      <h1 class="govuk-heading-l">{t('messages.title')}</h1>
      <p class="govuk-body">{t('messages.lead')}</p>
      <p class="govuk-body">
        <a class="govuk-link" href="/me/contacts">
          {t('messages.how_we_contact_you')}
        </a>
      </p>
      <LoadState loading={loaded.loading} error={loaded.error} retry={loaded.reload} />
      {loaded.data !== undefined && items.length === 0 && <p class="govuk-body">{t('messages.none')}</p>}
      {items.length > 0 && <MessageRows items={items} />}
    </Page>
  );
}

/** The messages about one application, for its page. */
export function ApplicationMessages({ applicationId }: { applicationId: string }) {
  const loaded = useApi<unknown>('/me/messages', { query: { application_id: applicationId, limit: '20' } });
  const items = itemsOf<Message>(loaded.data, 'items');
  if (items.length === 0) return null;
  return (
    <>
      <h2 class="govuk-heading-m">{t('messages.about_this_application')}</h2>
      <MessageRows items={items} heading={false} />
    </>
  );
}

interface ApplicationRef {
  application_id: string;
  reference?: string | null;
}

/** A message's short link (`/r/<reference>`): the person's application with that reference. */
export function ReferenceLink({ reference }: { reference: string }) {
  const loaded = useApi<unknown>('/applications', { query: { limit: '100' } });
  const compact = (text: string) => text.replace(/[\s-]/g, '').toUpperCase();
  if (loaded.data !== undefined) {
    const found = itemsOf<ApplicationRef>(loaded.data, 'items', 'applications').find((a) => a.reference && compact(a.reference) === compact(reference));
    location.replace(found ? `/applications/${encodeURIComponent(found.application_id)}` : '/applications');
  }
  return <LoadState loading={loaded.data === undefined && !loaded.error} error={loaded.error} retry={loaded.reload} />;
}
