// What runScenario tells its caller while it works (a union keyed on `type`): the CLI draws its
// progress from these; the library itself never writes to the console.

import type { LoadCounts } from '../lab/ipc/to-orchestrator.js';
import type { Report } from '../report/build-report.js';
import type { SeriesSummary } from '../report/aggregate-series.js';
import type { LabPlan } from '../scenario/scale-time.js';
import type { TraceEvent } from '../trace/events.js';
import type { LayoutChoice } from '../scenario/strategy-layout.js';

export type RunEvent =
  /** The run directory exists and params.json is written; processes start next. */
  | { type: 'run-start'; runDir: string; plan: LabPlan; layout: LayoutChoice }
  /** Every supervisor's first worker listens: the load runs for `durationMs` real ms from now. */
  | { type: 'load-start'; durationMs: number; strategies: string[] }
  /** A notable event of a strategy's supervisor (spawn, WORKER TIMEOUT, exit), in real time. */
  | { type: 'lab-event'; strategy: string; event: TraceEvent }
  | { type: 'load-progress'; strategy: string; counts: LoadCounts }
  /** The host distorted these strategies (analysis/contention.ts): each runs again alone, once. */
  | { type: 'contended-rerun'; strategies: Array<{ strategy: string; why: string }> }
  /** Every process has stopped; analysis follows. */
  | { type: 'lab-end'; interrupted: boolean }
  /** Clinic.js Doctor is analysing the workers' data (--clinic doctor): it takes a while. */
  | { type: 'doctor-analysis' }
  | { type: 'run-end'; runDir: string; report: Report }
  /** --repeat: the series directory exists; runs follow, `parallel` at a time. */
  | { type: 'series-start'; seriesDir: string; plan: LabPlan; repeat: number; parallel: number; layout: LayoutChoice }
  | { type: 'series-run-end'; index: number; repeat: number; runDir: string; report: Report }
  | { type: 'series-end'; seriesDir: string; series: SeriesSummary };

export type RunEventListener = (event: RunEvent) => void;
