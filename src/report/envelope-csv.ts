// envelope.csv (pure): one row per cell and strategy, for a spreadsheet or pandas.

import type { Envelope } from '../sweep/envelope.js';

function field(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const round = (value: number | null, digits = 4): number | null => (value === null ? null : Number(value.toFixed(digits)));

export function renderEnvelopeCsv(envelope: Envelope): string {
  const params = envelope.axes.map((axis) => (axis.unit === 'ms' ? `${axis.param}_ms` : axis.unit === 'rate' ? `${axis.param}_per_s` : axis.param));
  const header = ['cell', ...params, 'strategy', 'runs', 'judged', 'killed', 'kill_rate', 'ci_low', 'ci_high', 'max_gap_ms', 'median_max_gap_ms', 'median_first_kill_ms', 'contended_runs', 'predicted', 'predicted_gap_ms', 'predicted_mean_tick_ms', 'run_dirs'];
  const rows = envelope.cells.flatMap((cell) =>
    cell.strategies.map((s) =>
      [
        cell.id,
        ...envelope.axes.map((axis) => cell.values[axis.param] ?? null),
        s.strategy,
        s.runs,
        s.judged,
        s.killed,
        round(s.killRate),
        round(s.killRateInterval?.[0] ?? null),
        round(s.killRateInterval?.[1] ?? null),
        round(s.maxGapMs, 1),
        round(s.medianMaxGapMs, 1),
        round(s.medianFirstKillMs, 1),
        s.contendedRuns,
        s.predicted?.outcome ?? null,
        round(s.predicted?.gapMs ?? null, 1),
        round(s.predicted?.meanTickMs ?? null, 1),
        s.runDirs.join(';'),
      ]
        .map(field)
        .join(','),
    ),
  );
  return `${[header.join(','), ...rows].join('\n')}\n`;
}
