/**
 * An application as its screens show it: its form, its programme's document rules and
 * statements, and its documents, all from one request (GET /applications/{id}/screen), started
 * with the page's code when the path is known (api/prefetch.ts). Document questions take their
 * types and size limit from the programme's rules as the server applies them (one value,
 * never above the portal's cap). What the person typed and the server does not have yet
 * (offline/drafts.ts) is put back on top.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { read, readCurrent, takePrefetched } from '../../api/prefetch';
import type { DocumentInfo } from '../../components/documents';
import { buildModel, type Answers, type FormModel } from '../../forms/model';
import { localized } from '../../i18n';
import { onSentFromDevice } from '../../offline';
import { applyPatch, pagesOf, pendingSave, type RawInputs } from '../../offline/drafts';

export interface TimelineEntry {
  from: string | null;
  to: string;
  at: string;
  by?: { role: string; ref?: string };
  reason?: string | null;
  /** the programme's statements agreed to with this submission */
  consents?: string[];
}

export interface Application {
  application_id: string;
  program_id: string;
  program_name?: unknown;
  form_id: string;
  form_version: number;
  status: string;
  reference?: string | null;
  answers: Answers;
  read_only?: string[];
  timeline?: TimelineEntry[];
  editable?: boolean;
  submitted_at?: string | null;
  version?: number;
  /** `assisted` when an officer made or sent it with the person */
  channel?: string;
  /** the programme's statements agreed to with its submission(s) */
  consents?: { id: string }[];
  /** each member of a repeating group, named, with the documents given for them */
  members?: { group: string; index: number; label?: string | null; documents: { field: string; document_id: string }[] }[];
}

export interface DocumentRule {
  kind: string;
  label: unknown;
  required?: boolean;
  content_types?: string[];
  max_bytes?: number;
}

/** A statement the programme asks the person to agree to before sending (check your answers). */
export interface ConsentStatement {
  id: string;
  text: unknown;
  required?: boolean;
}

export interface Loaded {
  application: Application;
  model: FormModel;
  rules: DocumentRule[];
  documents: DocumentInfo[];
  consents: ConsentStatement[];
  /** inputs typed on each page and not yet saved on the server (kept on this device) */
  kept?: Record<string, RawInputs>;
  /** a save is waiting on this device for the connection (its answers are in `application`) */
  waiting?: boolean;
}

/** What GET /applications/{id}/screen answers. */
export interface Screen {
  application: Application;
  form: { schema: Record<string, unknown>; ui_schema: Record<string, unknown> };
  program: { documents?: DocumentRule[]; consents?: ConsentStatement[] };
  documents: DocumentInfo[];
}

/** The form's document questions with the types and size the programme's rule for their kind allows. */
export function withRuleLimits(model: FormModel, rules: DocumentRule[]): FormModel {
  const fields = { ...model.fields };
  for (const [name, field] of Object.entries(fields)) {
    if (field.repeat) {
      fields[name] = { ...field, repeat: { ...field.repeat, model: withRuleLimits(field.repeat.model, rules) } };
      continue;
    }
    if (field.kind !== 'document') continue;
    const rule = rules.find((r) => r.kind === field.documentKind);
    if (rule) fields[name] = { ...field, maxBytes: rule.max_bytes ?? field.maxBytes, accept: rule.content_types?.length ? rule.content_types : field.accept };
  }
  return { ...model, fields };
}

export function fromScreen(screen: Screen, kept: Record<string, RawInputs> = {}, pending?: { patch: Answers }): Loaded {
  const rules = screen.program.documents ?? [];
  const application = pending ? { ...screen.application, answers: applyPatch(screen.application.answers, pending.patch) } : screen.application;
  return {
    application,
    model: withRuleLimits(buildModel(screen.form.schema, screen.form.ui_schema), rules),
    rules,
    documents: screen.documents,
    consents: screen.program.consents ?? [],
    kept,
    waiting: Boolean(pending),
  };
}

// The application last loaded or saved: the pages of a repeating group (the list, each member,
// removing one) reuse it, so moving between members reads nothing (a save answers the new state).
let recent: Loaded | undefined;

/** The application in hand when it is this one (a group's pages reuse it). */
export function inHand(id: string): Loaded | undefined {
  return recent?.application.application_id === id ? recent : undefined;
}

async function onDevice(id: string): Promise<[Record<string, RawInputs>, { patch: Answers } | undefined]> {
  return Promise.all([pagesOf(id).catch(() => ({})), pendingSave(id).catch(() => undefined)]);
}

/** The application with its form, rules and documents; ``reuse``: the one in hand if it is this one. */
export function useApplication(id: string, { reuse = false }: { reuse?: boolean } = {}) {
  const [state, setState] = useState<{ loaded?: Loaded; error?: unknown; loading: boolean }>(() =>
    reuse && recent?.application.application_id === id ? { loading: false, loaded: recent } : { loading: true },
  );
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (tick === 0 && state.loaded) return;
    let live = true;
    const path = `/applications/${encodeURIComponent(id)}/screen`;
    // What this device keeps of it is read while the screen is on its way, not after.
    const thisDevice = onDevice(id);
    const show = async (screen: Screen, device = thisDevice) => {
      const [kept, pending] = await device;
      recent = fromScreen(screen, kept, pending);
      if (live) setState({ loading: false, loaded: recent });
    };
    (async () => {
      let answer;
      try {
        answer = await ((tick === 0 ? takePrefetched<Screen>(path) : undefined) ?? read<Screen>(path));
      } catch (error) {
        // No connection and no copy kept: the application in hand (saved offline) if it is this one.
        if (error instanceof ApiError && error.status === 0 && recent?.application.application_id === id) {
          if (live) setState({ loading: false, loaded: recent });
          return;
        }
        throw error;
      }
      await show(answer.data);
      // The service worker's copy from an earlier visit: shown at once, then the current one.
      if (answer.cached) {
        const current = await readCurrent<Screen>(path).catch(() => undefined);
        if (current && live) await show(current, onDevice(id));
      }
    })().catch((error) => live && setState({ loading: false, error }));
    return () => {
      live = false;
    };
  }, [id, tick]);
  // A save kept on this device reached the server: its answer is the application now.
  useEffect(
    () =>
      onSentFromDevice((application, pages) => {
        if (application.application_id !== id || !recent || recent.application.application_id !== id) return;
        const kept = Object.fromEntries(Object.entries(recent.kept ?? {}).filter(([page]) => !pages.includes(page)));
        recent = { ...recent, application, kept, waiting: false };
        setState({ loading: false, loaded: recent });
      }),
    [id],
  );
  return {
    ...state,
    reload: () => setTick((n) => n + 1),
    update: (loaded: Loaded) => {
      recent = loaded;
      setState({ loading: false, loaded });
    },
  };
}

export function programName(application: Application): string {
  return localized(application.program_name) || application.program_id;
}
