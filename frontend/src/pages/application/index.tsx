/**
 * The application screens, one per file in this folder. The router loads this module on first
 * use (its own chunk); the reviewers' page reuses the timeline and the answers from it.
 */
export { displayValue, MemberCards } from './answers';
export type { Application } from './loaded';
export { ApplicationRoutes } from './routes';
export { Timeline } from './timeline';
