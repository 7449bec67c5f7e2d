/**
 * A programme's set-up task list (GOV.UK task list pattern): what people read about it, the form
 * and what it asks for, who reviews, and opening it, each task with its status. "Open the
 * programme" is offered only when the programme has what a person needs (tasks.ts, the server's
 * own rule); otherwise the list of what is missing, each linked to where it is given.
 */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../../api/client';
import { BackLink, ErrorSummary } from '../../components/govuk';
import { useTitle } from '../../components/page';
import { colon, localized, t } from '../../i18n';
import { problemsOf, summaryOf, type Problem } from '../problems';
import { SuccessBanner } from '../success_banner';
import { LanguageList, missingLines, programPath, setupHref, TaskStatusText, WithProgram, type Program } from './common';
import { canOpen, missingForOpening, progress, SECTIONS, taskStatus, type Missing, type TaskId } from './tasks';

/** Where each task is done: its own set-up page, or the programme's list editors (which come back here). */
function taskHref(program: Program, task: TaskId): string | undefined {
  const id = encodeURIComponent(program.program_id);
  if (task === 'documents' || task === 'consents') return `/staff/programs/${id}/${task}?from=setup`;
  if (task === 'open') return undefined;
  return setupHref(program.program_id, task);
}

const DONE_NOTICES: Record<string, string> = {
  details: 'staff.setup.saved.details',
  form: 'staff.setup.saved.form',
  policy: 'staff.setup.saved.policy',
  documents: 'staff.documents_saved',
  consents: 'staff.consents_saved',
};

export function SetupTaskList({ id, query }: { id: string; query: URLSearchParams }) {
  return <WithProgram id={id}>{(program, reload) => <TaskListPage program={program} reload={reload} done={query.get('done') ?? ''} />}</WithProgram>;
}

function TaskListPage({ program, reload, done }: { program: Program; reload: () => void; done: string }) {
  const [problems, setProblems] = useState<Problem[]>([]);
  const [opened, setOpened] = useState(false);
  const name = localized(program.name) || program.program_id;
  useTitle(t('staff.setup.title', { name }), problems.length > 0);
  const { done: count, total } = progress(program);
  const notice = opened ? t('staff.setup.opened') : DONE_NOTICES[done] ? t(DONE_NOTICES[done]) : undefined;
  const open = async () => {
    setProblems([]);
    try {
      await api('POST', `${programPath(program.program_id)}/open`, { staff: true });
      setOpened(true);
      reload();
    } catch (error) {
      setProblems(error instanceof ApiError && error.code === 'program_incomplete' ? [{ id: 'open-programme', text: t('staff.setup.cannot_open') }] : problemsOf(error, () => 'open-programme', 'open-programme'));
      reload();
    }
  };
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <BackLink href={`/staff/programs/${encodeURIComponent(program.program_id)}`} />
        <ErrorSummary errors={summaryOf(problems)} />
        {notice && <SuccessBanner text={notice} role="status" />}
        <span class="govuk-caption-l">{name}</span>
        <h1 class="govuk-heading-l">{t('staff.setup.heading')}</h1>
        <p class="govuk-body">{t('staff.setup.lead')}</p>
        <p class="govuk-body govuk-!-font-weight-bold">{t('staff.setup.progress', { count, total })}</p>
        {SECTIONS.map((section, n) => (
          <section key={section.id} aria-labelledby={`setup-section-${section.id}`}>
            <h2 class="govuk-heading-m" id={`setup-section-${section.id}`}>
              {n + 1}. {t(`staff.setup.section.${section.id}`)}
            </h2>
            {section.id === 'open' ? (
              <OpenSection program={program} onOpen={open} />
            ) : (
              <ul class="govuk-task-list">
                {section.tasks.map(({ id: task, optional }) => (
                  <TaskItem key={task} program={program} task={task} optional={optional} />
                ))}
              </ul>
            )}
          </section>
        ))}
      </div>
    </div>
  );
}

function TaskItem({ program, task, optional }: { program: Program; task: TaskId; optional?: boolean }) {
  const status = taskStatus(program, task);
  const href = taskHref(program, task);
  const hint = t(`staff.setup.hint.${task}`);
  return (
    <li class={`govuk-task-list__item${href ? ' govuk-task-list__item--with-link' : ''}`}>
      <div class="govuk-task-list__name-and-hint">
        <a class="govuk-link govuk-task-list__link" href={href} aria-describedby={`task-${task}-hint task-${task}-status`}>
          {t(`staff.setup.task.${task}`)}
        </a>
        <div id={`task-${task}-hint`} class="govuk-task-list__hint">
          {optional ? `${t('staff.setup.optional')} ` : ''}
          {hint}
        </div>
      </div>
      <div class={`govuk-task-list__status${status === 'info' ? ' govuk-task-list__status--cannot-start-yet' : ''}`} id={`task-${task}-status`}>
        <TaskStatusText status={status} />
      </div>
    </li>
  );
}

/** The last task: the button when everything a person needs is there, what is missing otherwise. */
function OpenSection({ program, onOpen }: { program: Program; onOpen: () => void }) {
  const status = taskStatus(program, 'open');
  const missing: Missing[] = missingForOpening(program);
  return (
    <>
      <ul class="govuk-task-list">
        <li class="govuk-task-list__item">
          <div class="govuk-task-list__name-and-hint">
            <div>{t('staff.setup.task.open')}</div>
          </div>
          <div class={`govuk-task-list__status${status === 'cannot_start' ? ' govuk-task-list__status--cannot-start-yet' : ''}`} id="task-open-status">
            <TaskStatusText status={status} />
          </div>
        </li>
      </ul>
      {program.state === 'open' && <p class="govuk-body">{t('staff.setup.is_open')}</p>}
      {program.state === 'archived' && <p class="govuk-body">{t('staff.already_archived')}</p>}
      {canOpen(program) && (
        <>
          <p class="govuk-body">{t('staff.setup.ready')}</p>
          <button type="button" id="open-programme" class="govuk-button" onClick={onOpen}>
            {t('staff.setup.open_button')}
          </button>
        </>
      )}
      {(program.state === 'draft' || program.state === 'closed') && missing.length > 0 && (
        <div id="open-programme">
          <p class="govuk-body">{t('staff.setup.missing_lead')}</p>
          <ul class="govuk-list govuk-list--bullet govuk-list--spaced">
            {missingLines(program.program_id, missing).map((line) => (
              <li key={line.key}>
                <a class="govuk-link" href={line.href}>
                  {line.text}
                </a>
                {line.languages.length > 0 && (
                  <>
                    {' '}
                    {t('staff.setup.missing.in')} <LanguageList languages={line.languages} />
                  </>
                )}
                {line.kinds.length > 0 && (
                  <>
                    {colon()}
                    <span class="ssp-ltr">{line.kinds.join(', ')}</span>
                  </>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
