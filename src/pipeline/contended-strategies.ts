// Which strategies of a finished lab run the host distorted, read back through the run directory's own
// reader, and setting a contended strategy's directory aside (kept as evidence) so it can run again alone.

import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { findContention } from '../analysis/contention.js';
import { unscaleEvents } from '../analysis/unscale-events.js';
import type { ContentionFindings } from '../analysis/types.js';
import { readRun } from '../io/read-run-dir.js';

/** Where a run keeps the strategies it ran again: contended/<strategy>-<attempt>/. */
const CONTENDED_DIR = 'contended';

export interface ContendedStrategy {
  strategy: string;
  contention: ContentionFindings;
}

/** The strategies of the run in `runDir` whose traces say the host was contended (a missing trace says nothing). */
export function findContendedStrategies(runDir: string): ContendedStrategy[] {
  const { params, traces } = readRun(runDir);
  return [...traces].flatMap(([strategy, events]) => {
    const contention = findContention(unscaleEvents(events, params.timeScale), params.timeScale);
    return contention.contended ? [{ strategy, contention }] : [];
  });
}

/** Moves the strategy's directory to contended/<strategy>-<attempt>/. */
export function setAsideContended(runDir: string, strategy: string, attempt: number): void {
  const into = join(runDir, CONTENDED_DIR);
  mkdirSync(into, { recursive: true });
  renameSync(join(runDir, strategy), join(into, `${strategy}-${attempt}`));
}
