// A tiny element builder: the card needs no framework.

/**
 * Creates a `tag` element with properties set and children appended.
 *
 * @example el('button', { type: 'button', textContent: 'Race' })
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Omit<HTMLElementTagNameMap[K], 'style' | 'dataset'>> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  Object.assign(e, props);
  e.append(...children);
  return e;
}

/** Sets `data-testid`, the hook the page's end-to-end tests find elements by. */
export function testId<E extends HTMLElement>(e: E, id: string): E {
  e.dataset['testid'] = id;
  return e;
}
