/** A page only a logged-in person sees: others are sent to log in and brought back. */
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { useSession } from '../session';

export function RequireLogin({ path, children }: { path: string; children: ComponentChildren }) {
  const session = useSession();
  useEffect(() => {
    if (session && !session.authenticated) {
      location.replace(`/login?next=${encodeURIComponent(path + location.search)}`);
    }
  }, [session, path]);
  if (!session?.authenticated) return null;
  return <>{children}</>;
}
