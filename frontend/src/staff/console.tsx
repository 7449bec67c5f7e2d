export function StaffConsole(_: { path: string; query: URLSearchParams }) { return <p>todo</p>; }
