import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCatalogForTests, type Catalog } from '../i18n';
import en from '../i18n/en.json';
import fr from '../i18n/fr.json';
import ar from '../i18n/ar.json';
import { activityText } from './activity';

/** The actions the catalogs have words for (`activity.action.<action>`, but the general `other`). */
const KNOWN = Object.keys(en)
  .filter((key) => key.startsWith('activity.action.') && key !== 'activity.action.other')
  .map((key) => key.slice('activity.action.'.length));

const BACKEND = resolve(__dirname, '../../../chalicelib');

function pythonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? pythonFiles(path) : name.endsWith('.py') ? [path] : [];
  });
}

/** The top-level arguments of the call whose opening parenthesis is at `open`. */
function argumentsAt(source: string, open: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let quote = '';
  let current = '';
  for (let i = open + 1; i < source.length; i++) {
    const c = source[i];
    if (quote) {
      if (c === quote && source[i - 1] !== '\\') quote = '';
      current += c;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    if ('([{'.includes(c)) depth++;
    if (')]}'.includes(c)) {
      if (depth === 0) break;
      depth--;
    }
    if (c === ',' && depth === 0) {
      args.push(current.trim());
      current = '';
    } else current += c;
  }
  if (current.trim()) args.push(current.trim());
  return args;
}

/**
 * The actions the backend records, read from its source: the action argument of every
 * `record_access`, `_audit`, `_record_for_person` and assisted-session `record` call. An
 * f-string becomes a pattern (`change_request_{status}` -> /^change_request_.+$/).
 */
function recordedActions(): { literal: string[]; patterns: RegExp[] } {
  const calls: Record<string, { index: number; prefix: string }> = { record_access: { index: 2, prefix: '' }, _audit: { index: 2, prefix: '' }, _record_for_person: { index: 2, prefix: '' }, record: { index: 1, prefix: 'assisted.' } };
  const literal = new Set<string>();
  const patterns: RegExp[] = [];
  for (const file of pythonFiles(BACKEND)) {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/(?<![\w.])(record_access|_audit|_record_for_person|record)\(/g)) {
      if (/def\s+$/.test(source.slice(Math.max(0, match.index - 8), match.index))) continue;
      const args = argumentsAt(source, match.index + match[0].length - 1);
      const { index, prefix } = calls[match[1]];
      const named = args.find((a) => a.startsWith('action='));
      const arg = named ? named.slice('action='.length) : args[index];
      if (match[1] === 'record' && args[0] !== 'session') continue;
      const text = /^(f?)"([^"]*)"$/.exec(arg ?? '');
      if (!text) continue; // a variable: its callers pass the literal
      if (text[1]) patterns.push(new RegExp(`^${prefix}${text[2].replace(/\{[^}]*\}/g, '.+')}$`));
      else literal.add(prefix + text[2]);
    }
  }
  return { literal: [...literal].sort(), patterns };
}

describe('the activity log in words', () => {
  it('knows every action the backend records', () => {
    const { literal, patterns } = recordedActions();
    expect(literal.length).toBeGreaterThan(15);
    expect(literal.filter((action) => !KNOWN.includes(action))).toEqual([]);
    for (const pattern of patterns) expect([pattern.source, KNOWN.some((a) => pattern.test(a))]).toEqual([pattern.source, true]);
  });

  it.each([
    ['en', en],
    ['fr', fr],
    ['ar', ar],
  ])('has a text for every known action in %s', (code, catalog) => {
    useCatalogForTests(code as 'en', catalog as Catalog);
    for (const action of KNOWN) {
      const key = `activity.action.${action}`;
      expect([key, typeof (catalog as Record<string, unknown>)[key]]).toEqual([key, 'string']);
      expect(activityText(action)).toBe((catalog as unknown as Record<string, string>)[key]);
    }
    expect(new Set(KNOWN.map(activityText)).size).toBe(KNOWN.length);
  });

  it('reads an action it does not know yet as a general change, never as a code', () => {
    useCatalogForTests('fr', fr);
    expect(activityText('something_new')).toBe('A consulté ou modifié vos informations');
  });
});
