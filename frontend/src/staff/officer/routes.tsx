/** The officer's part of the staff console, under /staff/officer. */
import { NotFound } from '../../components/page';
import { match } from '../../router';
import { AssistedApplication } from './apply';
import { OfficerDesk } from './desk';
import { AssistedSessionPage } from './session';

export function OfficerRoutes({ path }: { path: string }) {
  let params: Record<string, string> | null;
  if (path === '/staff/officer') return <OfficerDesk />;
  if ((params = match('/staff/officer/sessions/:id', path))) return <AssistedSessionPage key={params.id} id={params.id} />;
  if ((params = match('/staff/officer/sessions/:id/applications/:application', path)))
    return <AssistedApplication key={params.application} sessionId={params.id} applicationId={params.application} />;
  return <NotFound />;
}
