export function ProfileRoutes(_: { path: string }) { return <p>todo</p>; }
