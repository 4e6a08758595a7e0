// A tiny element builder: the card needs no framework.

/**
 * Creates a `tag` element with properties set and children appended.
 *
 * @example el('button', { type: 'button', textContent: 'Start' })
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
