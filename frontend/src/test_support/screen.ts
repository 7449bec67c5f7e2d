/**
 * For component tests written against the separate reads (the application, its form version, its
 * programme, its documents): answers GET /api/applications/{id}/screen by asking the test's own
 * stand-in for each part, as the server's route gathers them.
 */
type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

const SCREEN = /^\/api\/applications\/([^/?]+)\/screen$/;

export function withScreen(parts: Fetch): Fetch {
  return async (url: string, init?: RequestInit) => {
    const found = SCREEN.exec(url);
    if (!found || (init?.method && init.method !== 'GET')) return parts(url, init);
    const part = async (path: string) => {
      const answer = await parts(path, { method: 'GET' });
      if (!answer.ok) throw answer;
      return answer.json();
    };
    try {
      const application = await part(`/api/applications/${found[1]}`);
      const [form, program, documents] = await Promise.all([
        part(`/api/forms/${application.form_id}/versions/${application.form_version}`),
        part(`/api/programs/${application.program_id}`),
        part(`/api/documents?application_id=${found[1]}`),
      ]);
      const list = Array.isArray(documents) ? documents : (documents.items ?? documents.documents ?? []);
      return new Response(JSON.stringify({ application, form, program: { documents: program.documents ?? [], consents: program.consents ?? [] }, documents: list }), { status: 200 });
    } catch (failed) {
      if (failed instanceof Response) return failed;
      throw failed;
    }
  };
}
