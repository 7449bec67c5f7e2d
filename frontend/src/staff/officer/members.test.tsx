import { render } from 'preact';
import { useState } from 'preact/hooks';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildModel } from '../../forms/model';
import { useCatalogForTests, type Catalog } from '../../i18n';
import en from '../../i18n/en.json';
import { drawingRoot } from '../../test_support/dom';
import { Members, membersAnswers, membersErrors, memberSummary, type MemberRaw } from './members';

const root = drawingRoot();
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
beforeEach(() => useCatalogForTests('en', en as Catalog));

const model = buildModel(
  {
    type: 'object',
    properties: {
      name: { type: 'string' },
      children: {
        type: 'array',
        minItems: 1,
        maxItems: 2,
        items: { type: 'object', properties: { name: { type: 'string', minLength: 1 }, age: { type: 'integer', minimum: 0 } }, required: ['name'] },
      },
    },
  },
  {
    pages: [{ id: 'p', title: 'P', fields: ['/name', '/children'] }],
    fields: {
      '/name': { widget: 'text', label: 'Your name' },
      '/children': { widget: 'group', label: 'Children', item_label: 'child', items_label: 'children', summary_field: 'name' },
      '/children/name': { widget: 'text', label: "Child's name" },
      '/children/age': { widget: 'number', label: 'Age' },
    },
  },
);
const field = model.fields['/children'];

describe("a repeating group on the officer's form", () => {
  it('adds members with their own ids beside the form, removes one, and stops at the most allowed', async () => {
    let latest: MemberRaw[] = [];
    function Harness() {
      const [raws, setRaws] = useState<MemberRaw[]>([]);
      latest = raws;
      return <Members field={field} raws={raws} errors={[]} onChange={setRaws} />;
    }
    render(<Harness />, root);
    const button = (text: string) => [...root.querySelectorAll('button')].find((b) => b.textContent === text) as HTMLButtonElement;
    button('Add a child').click();
    await settle();
    button('Add a child').click();
    await settle();
    expect(root.querySelector('#f-children-0-name')).not.toBeNull();
    expect(root.querySelector('#f-children-1-age')).not.toBeNull();
    expect(root.querySelector('#f-name')).toBeNull(); // the person's own name question is not the child's
    expect(button('Add a child')).toBeUndefined();
    expect(root.textContent).toContain('at most 2 children');
    const input = root.querySelector('#f-children-1-name') as HTMLInputElement;
    input.value = 'Ada';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    expect(latest[1]['/name']).toBe('Ada');
    button('Remove child 1').click();
    await settle();
    expect(latest.length).toBe(1);
    expect(membersAnswers(field, latest).members).toEqual([{ name: 'Ada' }]);
  });

  it("says which member's answer is missing or wrong, linking to its input", () => {
    const { members, invalid } = membersAnswers(field, [{ '/name': '', '/age': 'x' }]);
    expect(invalid[0]['/age']).toBeDefined();
    const missing = membersErrors(field, members);
    expect(Object.keys(missing[0])).toContain('/name');
    const summary = memberSummary(field, [{ ...missing[0], ...invalid[0] }]);
    expect(summary.map((s) => s.href)).toEqual(expect.arrayContaining(['#f-children-0-name', '#f-children-0-age']));
    expect(summary[0].text).toContain('child 1');
  });
});
