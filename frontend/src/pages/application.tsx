export function ApplicationRoutes(_: { path: string; query: URLSearchParams }) { return <p>todo</p>; }
