/** The set-up pages of a programme, under /staff/programs/{id}/setup. */
import { NotFound } from '../../components/page';
import { match } from '../../router';
import { SetupDetails } from './details';
import { SetupForm } from './form';
import { SetupPolicy } from './policy';
import { SetupReviewers } from './reviewers';
import { SetupTaskList } from './task_list';

export function isSetupPath(path: string): boolean {
  return /^\/staff\/programs\/[^/]+\/setup(\/|$)/.test(path);
}

export function SetupRoutes({ path, query }: { path: string; query: URLSearchParams }) {
  let params: Record<string, string> | null;
  if ((params = match('/staff/programs/:id/setup', path))) return <SetupTaskList key={params.id} id={params.id} query={query} />;
  if ((params = match('/staff/programs/:id/setup/details', path))) return <SetupDetails id={params.id} />;
  if ((params = match('/staff/programs/:id/setup/form', path))) return <SetupForm id={params.id} query={query} />;
  if ((params = match('/staff/programs/:id/setup/policy', path))) return <SetupPolicy id={params.id} />;
  if ((params = match('/staff/programs/:id/setup/reviewers', path))) return <SetupReviewers id={params.id} />;
  return <NotFound />;
}
