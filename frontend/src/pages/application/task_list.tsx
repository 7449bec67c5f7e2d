/** A draft's task list: one task per form page, plus the programme's documents. */
import { localized, t } from '../../i18n';
import { getAt, pageStatus } from '../../forms/model';
import { navigate } from '../../router';
import { programName, type Loaded } from './loaded';
import { WithdrawApplication } from './withdraw';

const DOCUMENTS_TASK = 'documents';

function documentsDone(loaded: Loaded): boolean {
  return loaded.rules.filter((r) => r.required).every((r) => loaded.documents.some((d) => d.kind === r.kind && d.status === 'available'));
}

/** A page's task status. A page the person has not answered anything on (only details from the
 * national ID filled in for them, which they cannot change) is "Not yet started", not "Incomplete". */
function statusOf(loaded: Loaded, page: Loaded['model']['pages'][number]): string {
  const { model, application } = loaded;
  const status = pageStatus(model, application.answers, page) as string;
  if (status !== 'incomplete') return status;
  const readOnly = new Set(application.read_only ?? []);
  const theirs = page.fields.filter((name) => !readOnly.has(name) && !isEmpty(getAt(application.answers, name)));
  return theirs.length ? status : 'not_started';
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

export function tasks(loaded: Loaded) {
  const { model, application } = loaded;
  const list = model.pages.map((page) => ({ id: page.id, title: localized(page.title), href: `/applications/${application.application_id}/pages/${page.id}`, status: statusOf(loaded, page) }));
  if (loaded.rules.length) {
    const any = loaded.documents.some((d) => loaded.rules.some((r) => r.kind === d.kind));
    list.push({ id: DOCUMENTS_TASK, title: t('timeline.documents'), href: `/applications/${application.application_id}/documents`, status: documentsDone(loaded) ? 'completed' : any ? 'incomplete' : 'not_started' });
  }
  return list;
}

const TASK_TAGS: Record<string, string> = { completed: '', incomplete: 'govuk-tag--light-blue', not_started: 'govuk-tag--blue' };

export function TaskItems({ loaded }: { loaded: Loaded }) {
  return (
    <ul class="govuk-task-list">
      {tasks(loaded).map((task) => (
        <li class="govuk-task-list__item govuk-task-list__item--with-link" key={task.id}>
          <div class="govuk-task-list__name-and-hint">
            <a class="govuk-link govuk-task-list__link" href={task.href} aria-describedby={`task-${task.id}-status`}>
              {task.title}
            </a>
          </div>
          <div class="govuk-task-list__status" id={`task-${task.id}-status`}>
            {task.status === 'completed' ? t('apply.status.completed') : <strong class={`govuk-tag ${TASK_TAGS[task.status]}`}>{t(`apply.status.${task.status}`)}</strong>}
          </div>
        </li>
      ))}
    </ul>
  );
}

/** How many sections the application has, as the task list counts them and each page numbers
 * itself ("Section 1 of 3"): one per page of the form, and the documents when the programme asks for any. */
export function sectionCount(loaded: Loaded): number {
  return loaded.model.pages.length + (loaded.rules.length ? 1 : 0);
}

export function TaskList({ loaded }: { loaded: Loaded }) {
  const list = tasks(loaded);
  const done = list.filter((task) => task.status === 'completed').length;
  const { application } = loaded;
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <span class="govuk-caption-l">{programName(application)}</span>
        <h1 class="govuk-heading-l">{t('apply.title')}</h1>
        <p class="govuk-body">{t('apply.lead')}</p>
        <p class="govuk-body govuk-!-font-weight-bold" role="status">
          {t('apply.sections', { count: done, total: list.length })}
        </p>
        <TaskItems loaded={loaded} />
        {done === list.length ? (
          <a class="govuk-button" href={`/applications/${application.application_id}/check`}>
            {t('apply.check')}
          </a>
        ) : (
          <>
            <p class="govuk-body">{t('apply.check_hint')}</p>
            {/* A way forward on a new draft, not only "Withdraw": the first section still to do. */}
            <a class="govuk-button" id="continue-application" href={list.find((task) => task.status !== 'completed')!.href}>
              {done === 0 ? t('apply.start') : t('common.continue')}
            </a>
          </>
        )}
        <WithdrawApplication application={application} onDone={() => navigate('/applications')} />
      </div>
    </div>
  );
}
