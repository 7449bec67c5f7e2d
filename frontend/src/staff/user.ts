/**
 * Who is signed in to the staff console: the bearer token this tab keeps in sessionStorage, read
 * without checking it (the portal checks every call). Small on purpose: the header of every page
 * reads it to list the sections a role opens, so it ships in the first page; the sign-in flow
 * (signin.ts) stays in the console's own chunk.
 */
import { setStaffToken } from '../api/client';

export const TOKEN = 'ssp-staff-token';

export interface StaffUser {
  name: string;
  roles: string[];
  exp: number;
}

export function staffUser(): StaffUser | undefined {
  const token = sessionStorage.getItem(TOKEN);
  if (!token) return undefined;
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    const user = { name: String(payload.name ?? payload.sub ?? ''), roles: (payload.roles as string[]) ?? [], exp: Number(payload.exp ?? 0) };
    if (user.exp && user.exp * 1000 < Date.now()) {
      signOut();
      return undefined;
    }
    setStaffToken(token);
    return user;
  } catch {
    signOut();
    return undefined;
  }
}

export function signOut(): void {
  sessionStorage.removeItem(TOKEN);
  setStaffToken(undefined);
}
