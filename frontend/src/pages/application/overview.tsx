/**
 * An application's page: while a draft, its task list; once sent, its status, the officer's
 * part, the timeline and the answers, and, when the programme asked for information, the tasks
 * to answer it in place.
 */
import { StatusTag, SummaryList } from '../../components/govuk';
import { LoadState, useTitle } from '../../components/page';
import { t } from '../../i18n';
import { AnswersSummary } from './answers';
import { useState } from 'preact/hooks';
import { programName, useApplication, type Loaded } from './loaded';
import { SentNotice, takeLeftSent } from './sent';
import { TaskItems, TaskList, tasks } from './task_list';
import { ApplicationMessages } from '../messages';
import { officerNote, Timeline } from './timeline';
import { WithdrawApplication } from './withdraw';

/** Where "Send the information asked for" leads: the documents when the programme asks for
 * any (what a reviewer most often needs again), else the first section, else check your answers. */
function answerHref(loaded: Loaded): string {
  const list = tasks(loaded);
  const todo = list.find((task) => task.status !== 'completed') ?? list.find((task) => task.id === 'documents') ?? list[0];
  return todo ? todo.href : `/applications/${loaded.application.application_id}/check`;
}

export function Overview({ id }: { id: string }) {
  const [fromEditing] = useState(() => takeLeftSent(id));
  const state = useApplication(id);
  const loaded = state.loaded;
  useTitle(loaded ? programName(loaded.application) : t('apply.title'));
  if (!loaded) return <LoadState loading={state.loading} error={state.error} retry={state.reload} />;
  const { application } = loaded;
  if (application.status === 'draft') return <TaskList loaded={loaded} />;
  const lastRequest = [...(application.timeline ?? [])].reverse().find((e) => e.to === 'info_requested');
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <a class="govuk-back-link" href="/applications">
          {t('common.back')}
        </a>
        <span class="govuk-caption-l">{programName(application)}</span>
        <h1 class="govuk-heading-l">{t('apply.title')}</h1>
        {fromEditing && <SentNotice />}
        <SummaryList
          rows={[
            { key: t('applications.reference'), value: <span class="ssp-ltr">{application.reference ?? '–'}</span> },
            { key: t('applications.status'), value: <StatusTag status={application.status} /> },
          ]}
        />
        {officerNote(application) && (
          <div class="govuk-inset-text" id="assisted-note">
            {t(officerNote(application)!)}
          </div>
        )}
        {application.status === 'info_requested' && (
          <div class="govuk-notification-banner" role="region" aria-labelledby="rfi-title">
            <div class="govuk-notification-banner__header">
              <h2 class="govuk-notification-banner__title" id="rfi-title">
                {t('status.info_requested')}
              </h2>
            </div>
            <div class="govuk-notification-banner__content">
              <p class="govuk-notification-banner__heading">{lastRequest?.reason}</p>
              <p class="govuk-body">
                <a class="govuk-notification-banner__link" href={answerHref(loaded)} id="answer-request">
                  {t('timeline.answer_title')}
                </a>
              </p>
            </div>
          </div>
        )}
        {application.status === 'info_requested' && <TaskItems loaded={loaded} />}
        {application.status === 'info_requested' && (
          <a class="govuk-button" href={`/applications/${application.application_id}/check`}>
            {t('apply.check')}
          </a>
        )}
        <h2 class="govuk-heading-m">{t('timeline.title')}</h2>
        <Timeline entries={application.timeline ?? []} />
        <ApplicationMessages applicationId={application.application_id} />
        {application.status === 'submitted' && <WithdrawApplication application={application} onDone={state.reload} />}
        {application.status !== 'info_requested' && (
          <>
            <h2 class="govuk-heading-m">{t('timeline.answers')}</h2>
            <AnswersSummary loaded={loaded} changeLinks={false} />
          </>
        )}
      </div>
    </div>
  );
}
