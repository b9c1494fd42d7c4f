/** How the workload answer writes money and counts, the same in the terminal and on the page. Pure. */

/** $1,217 · $24.00 · $0.000074 */
export function usd(value: number): string {
  if (value >= 1000) return `$${Math.round(value).toLocaleString('en-US')}`;
  if (value >= 1) return `$${value.toFixed(2)}`;
  return `$${value.toPrecision(2)}`;
}

/** 27,490 · 6.9 */
export function count(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(2);
}
