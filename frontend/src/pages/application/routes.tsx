/**
 * An application from start to end, one screen per path: the task list (or, once sent, the
 * timeline), a question page, the programme's documents, check your answers, the confirmation.
 */
import { NotFound } from '../../components/page';
import { match } from '../../router';
import { CheckAnswers } from './check_answers';
import { Confirmation } from './confirmation';
import { DocumentsPage } from './documents_page';
import { MemberPage, RemoveMember } from './group_pages';
import { Overview } from './overview';
import { QuestionPage } from './question_page';

export function ApplicationRoutes({ path, query }: { path: string; query: URLSearchParams }) {
  let params = match('/applications/:id', path);
  if (params) return <Overview id={params.id} />;
  params = match('/applications/:id/pages/:page', path);
  if (params) return <QuestionPage id={params.id} pageId={params.page} returnTo={query.get('return')} />;
  params = match('/applications/:id/pages/:page/members/:member', path);
  if (params) return <MemberPage id={params.id} pageId={params.page} position={Number(params.member)} returnTo={query.get('return')} />;
  params = match('/applications/:id/pages/:page/members/:member/remove', path);
  if (params) return <RemoveMember id={params.id} pageId={params.page} position={Number(params.member)} />;
  params = match('/applications/:id/documents', path);
  if (params) return <DocumentsPage id={params.id} returnTo={query.get('return')} />;
  params = match('/applications/:id/check', path);
  if (params) return <CheckAnswers id={params.id} />;
  params = match('/applications/:id/confirmation', path);
  if (params) return <Confirmation id={params.id} />;
  return <NotFound />;
}
