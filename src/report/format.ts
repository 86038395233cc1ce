// Number formats every renderer shares, so the terminal, Markdown and HTML print the same figures.

export function formatDuration(ms: number | null): string {
  if (ms === null || Number.isNaN(ms)) return '—';
  if (ms === 0) return '0 s';
  const abs = Math.abs(ms);
  if (abs >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  if (abs >= 10) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

export function formatRange(values: readonly number[]): string {
  if (values.length === 0) return '—';
  const min = Math.min(...values);
  const max = Math.max(...values);
  return min === max ? formatDuration(min) : `${formatDuration(min).replace(/ s$/, '')}–${formatDuration(max)}`;
}

/** A share as a percentage, with at most `maxDecimals` decimals (trailing zeros dropped). */
export function formatPercent(share: number, maxDecimals = 0): string {
  const factor = 10 ** maxDecimals;
  return `${Math.round(share * 100 * factor) / factor}%`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
