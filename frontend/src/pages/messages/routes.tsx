/** The pages about being told: Messages, how to be contacted, a message's short link, and the
 * status check without login (the only one of them open to anyone). */
import { RequireLogin } from '../../components/require_login';
import { Contacts } from '../contacts';
import { StatusCheck } from '../status';
import { Messages, ReferenceLink } from './index';

export function MessageRoutes({ path }: { path: string }) {
  if (path === '/status') return <StatusCheck />;
  const page = path === '/messages' ? <Messages /> : path === '/me/contacts' ? <Contacts /> : <ReferenceLink reference={decodeURIComponent(path.slice(3))} />;
  return <RequireLogin path={path}>{page}</RequireLogin>;
}
