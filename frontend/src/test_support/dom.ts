/** For component tests: the element in the document they draw into. */
import { render } from 'preact';
import { afterEach } from 'vitest';

/** An element in the document to draw into; what a test drew there is unmounted after it. */
export function drawingRoot(): HTMLElement {
  const root = document.body.appendChild(document.createElement('div'));
  afterEach(() => render(null, root));
  return root;
}
