// Which strategies of a finished lab run the host distorted, read from their traces, and setting a
// contended strategy's directory aside (kept as evidence) so it can run again alone.

import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { findContention } from '../analysis/contention.js';
import { unscaleEvents } from '../analysis/unscale-events.js';
import type { ContentionFindings } from '../analysis/types.js';
import { decodeTrace } from '../trace/decode-trace.js';
import { TRACE_FILE } from '../trace/run-params.js';

/** Where a run keeps the strategies it ran again: contended/<strategy>-<attempt>/. */
export const CONTENDED_DIR = 'contended';

export interface ContendedStrategy {
  strategy: string;
  contention: ContentionFindings;
}

export function findContendedStrategies(runDir: string, strategies: readonly string[], timeScale: number): ContendedStrategy[] {
  const found: ContendedStrategy[] = [];
  for (const strategy of strategies) {
    const path = join(runDir, strategy, TRACE_FILE);
    if (!existsSync(path)) continue;
    const contention = findContention(unscaleEvents(decodeTrace(readFileSync(path, 'utf8')).events, timeScale), timeScale);
    if (contention.contended) found.push({ strategy, contention });
  }
  return found;
}

/** Moves the strategy's directory to contended/<strategy>-<attempt>/ and returns where. */
export function setAsideContended(runDir: string, strategy: string, attempt: number): string {
  const into = join(runDir, CONTENDED_DIR);
  mkdirSync(into, { recursive: true });
  const to = join(into, `${strategy}-${attempt}`);
  renameSync(join(runDir, strategy), to);
  return to;
}
