// The lab's processes still running, found by their command lines (every process the lab starts: the
// supervisors, workers and loads of dist/lab, the Node agent, the Python stack), and the newest run
// directory a test made: helpers the integration tests share.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../../src/report/build-report.js';

/** .ci/run looks for the same after the suite. */
const LAB_PROCESS = 'dist/lab/.*-main|dist/agent/agent|starve_lab_real';

/** `pid command` of each, pgrep itself left out. */
export function labProcesses(): string[] {
  try {
    return execFileSync('pgrep', ['-af', LAB_PROCESS], { encoding: 'utf8' }).split('\n').filter((line) => line.trim() !== '' && !line.includes('pgrep'));
  } catch {
    return [];
  }
}

/** `pid command` of each process whose command line contains `text` (a run's own --out directory), pgrep itself left out. */
export function processesWith(text: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', '--', text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')], { encoding: 'utf8' }).split('\n').filter((line) => line.trim() !== '' && !line.includes('pgrep'));
  } catch {
    return [];
  }
}

export function labPids(): number[] {
  return labProcesses().map((line) => Number(line.trim().split(/\s+/)[0]));
}

/** The newest run directory of `scenario` under `outDir` (run directories are named by their start). */
export function latestRunDir(outDir: string, scenario: string): string {
  const dir = join(outDir, scenario);
  return join(dir, readdirSync(dir).sort().at(-1) ?? 'missing');
}

export function readReport(runDir: string): Report {
  return JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report;
}
