/** What the set-up pages share: the programme's paths, what is missing in words, a task's status tag. */
import type { ComponentChildren } from 'preact';
import { useApi } from '../../api/hooks';
import { LoadState } from '../../components/page';
import { LOCALES, t, type Locale } from '../../i18n';
import type { AdminProgram } from '../programs';
import type { Missing, SetupProgram, TaskStatus } from './tasks';

export type Program = AdminProgram & SetupProgram;

export const programPath = (id: string) => `/admin/programs/${encodeURIComponent(id)}`;
export const setupHref = (id: string, task?: string) => `/staff/programs/${encodeURIComponent(id)}/setup${task ? `/${task}` : ''}`;

/** Loads the programme, then draws `children` with it (or the loading state). */
export function WithProgram({ id, children }: { id: string; children: (program: Program, reload: () => void) => ComponentChildren }) {
  const program = useApi<Program>(programPath(id), { staff: true });
  if (!program.data) return <LoadState loading={program.loading} error={program.error} retry={program.reload} />;
  return <>{children(program.data, program.reload)}</>;
}

/** The id of the details page's field a pointer names (the ids the details page gives its fields). */
export function detailsFieldId(pointer: string): string {
  const [, key, code] = pointer.split('/');
  if (key === 'decision_days') return 'setup-decision-days';
  if (key === 'opens_at' || key === 'closes_at') return `setup-${key.replace('_', '-')}`;
  return `setup-${key}-${code ?? 'en'}`;
}

/** One line per thing missing: a text (with the languages it lacks), the decision time, the form, the documents the form asks for. */
export interface MissingLine {
  key: string;
  href: string;
  text: string;
  languages: Locale[];
  kinds: string[];
}

export function missingLines(programId: string, missing: Missing[]): MissingLine[] {
  const lines: MissingLine[] = [];
  for (const item of missing) {
    const [, key, code] = item.pointer.split('/');
    const found = lines.find((line) => line.key === key);
    const documents = item.task === 'documents';
    if (found && code) {
      if (documents) found.kinds.push(code);
      else found.languages.push(code as Locale);
      continue;
    }
    const href =
      item.task === 'form' ? setupHref(programId, 'form') : documents ? `/staff/programs/${encodeURIComponent(programId)}/documents?from=setup` : `${setupHref(programId, 'details')}#${detailsFieldId(item.pointer)}`;
    lines.push({ key, href, text: t(`staff.setup.missing.${key}`), languages: code && !documents ? [code as Locale] : [], kinds: documents && code ? [code] : [] });
  }
  return lines;
}

/** The languages a text lacks, each named in its own language. */
export function LanguageList({ languages }: { languages: Locale[] }) {
  return (
    <>
      {languages.map((code, i) => (
        <span key={code}>
          {i > 0 && ', '}
          <span lang={code}>{LOCALES[code].name}</span>
        </span>
      ))}
    </>
  );
}

const TAGS: Partial<Record<TaskStatus, string>> = { not_started: 'govuk-tag--blue', in_progress: 'govuk-tag--light-blue' };

/** A task's status as GOV.UK's task list shows it: a tag while there is work to do, plain text otherwise. */
export function TaskStatusText({ status }: { status: TaskStatus }) {
  const text = t(`staff.setup.status.${status}`);
  const tag = TAGS[status];
  return tag ? <strong class={`govuk-tag ${tag}`}>{text}</strong> : <>{text}</>;
}
