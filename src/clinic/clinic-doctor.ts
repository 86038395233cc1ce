// Clinic.js Doctor around the lab's workers (--clinic doctor). Doctor's collect() spawns the program
// itself with only stdio 0-2, while a worker needs its IPC channel, heartbeat file and shared socket;
// so the workers get the same preloads and environment collect() would give them, and after the run
// Doctor's own trace join, analysis and visualize() turn each worker's data into a verdict and HTML.

import { createReadStream, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { StarveError } from '../errors.js';
import { DOCTOR_RESULTS_FILE, type DoctorResult } from './doctor-results.js';

const require = createRequire(import.meta.url);
export const DOCTOR_DATA_DIR = 'clinic';

interface DoctorModules {
  root: string;
  ClinicDoctor: new (settings?: object) => { visualize(dataDir: string, html: string, callback: (error: Error | null) => void): void };
  Analysis: new (systemInfo: NodeJS.ReadableStream, traceEvents: NodeJS.ReadableStream, processStat: NodeJS.ReadableStream) => NodeJS.ReadableStream;
  decoders: { SystemInfo: new () => NodeJS.ReadWriteStream; TraceEvent: new (systemInfo: NodeJS.ReadableStream) => NodeJS.ReadWriteStream; ProcessStat: new () => NodeJS.ReadWriteStream };
  pumpify: { obj(...streams: unknown[]): NodeJS.ReadableStream };
  joinTrace: (files: string[], output: string, callback: (error: Error | null) => void) => void;
}

function loadDoctor(): DoctorModules {
  let root: string;
  try {
    root = dirname(require.resolve('@clinic/doctor/package.json'));
  } catch {
    throw new StarveError('BAD_ARGUMENT', '--clinic doctor needs @clinic/doctor, which is not installed.', {
      hint: 'Install it with `npm install @clinic/doctor` (an optional peer dependency of starve-lab: not installed by default, it brings ~350 packages), or run without --clinic.',
    });
  }
  const from = createRequire(join(root, 'index.js'));
  return {
    root,
    ClinicDoctor: from('./index.js'),
    Analysis: from('./analysis/index.js'),
    decoders: { SystemInfo: from('./format/system-info-decoder.js'), TraceEvent: from('./format/trace-event-decoder.js'), ProcessStat: from('./format/process-stat-decoder.js') },
    pumpify: from('pumpify'),
    joinTrace: from('@clinic/node-trace-log-join'),
  };
}

/** Fails before anything starts when Doctor is missing. */
export function checkDoctorInstalled(): void {
  loadDoctor();
}

/** The environment Doctor's collect() gives a program, writing into `dataDir` (absolute). */
export function doctorWorkerEnv(dataDir: string): Record<string, string> {
  const { root } = loadDoctor();
  const options = ['-r no-cluster.js', '-r sampler.js', '--trace-events-enabled', '--trace-event-categories v8', `--trace-event-file-pattern=${join(dataDir, 'node_trace.${pid}.${rotation}.log')}`];
  return {
    NODE_PATH: [join(root, 'injects'), process.env['NODE_PATH']].filter(Boolean).join(':'),
    NODE_OPTIONS: [...options, process.env['NODE_OPTIONS'] ?? ''].join(' ').trim(),
    NODE_CLINIC_DOCTOR_SAMPLE_INTERVAL: '10',
    NODE_CLINIC_DOCTOR_TIMEOUT_DELAY: '0',
    NODE_CLINIC_DOCTOR_COLLECT_LOOP_UTILIZATION: 'true',
    NODE_CLINIC_DOCTOR_DATA_PATH: dataDir,
    // Without a terminal Clinic.js exits silently unless these are set.
    NO_INSIGHT: '1',
    NO_UPDATE_NOTIFIER: '1',
  };
}

function callback<T = void>(run: (done: (error: Error | null, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => run((error, value) => (error === null || error === undefined ? resolve(value as T) : reject(error))));
}

/** Doctor's own analysis of one worker's data: its issue category ('data' when it had too little). */
async function analyse(doctor: DoctorModules, dir: string, pid: number): Promise<string> {
  const read = (kind: string): NodeJS.ReadableStream => createReadStream(join(dir, `${pid}.clinic-doctor-${kind}`));
  const systemInfo = (): NodeJS.ReadableStream => doctor.pumpify.obj(read('systeminfo'), new doctor.decoders.SystemInfo());
  const traceEvents = doctor.pumpify.obj(read('traceevent'), new doctor.decoders.TraceEvent(systemInfo()));
  const processStat = doctor.pumpify.obj(read('processstat'), new doctor.decoders.ProcessStat());
  const analysis = new doctor.Analysis(systemInfo(), traceEvents, processStat);
  return new Promise((resolve, reject) => {
    analysis.on('data', (result: { issueCategory: string }) => resolve(result.issueCategory));
    analysis.on('error', reject);
  });
}

function pidOf(dir: string): number {
  return Number(/(\d+)\.clinic-doctor$/.exec(dir)?.[1] ?? -1);
}

/** Turns every worker's Doctor data under `strategyDir/clinic` into a verdict and HTML; never throws. */
export async function finishDoctor(runDir: string, strategyDir: string): Promise<DoctorResult[]> {
  const doctor = loadDoctor();
  const dataDir = join(strategyDir, DOCTOR_DATA_DIR);
  if (!existsSync(dataDir)) return [];
  const results: DoctorResult[] = [];
  for (const name of readdirSync(dataDir).filter((entry) => entry.endsWith('.clinic-doctor')).sort()) {
    const dir = join(dataDir, name);
    const pid = pidOf(dir);
    const traces = readdirSync(dataDir).filter((file) => file.startsWith(`node_trace.${pid}.`)).map((file) => join(dataDir, file));
    try {
      if (traces.length === 0) throw new Error('no V8 trace events were written (the worker was killed before Node flushed them)');
      await callback((done) => doctor.joinTrace(traces, join(dir, `${pid}.clinic-doctor-traceevent`), done));
      const issueCategory = await analyse(doctor, dir, pid);
      const html = `${dir}.html`;
      await callback((done) => new doctor.ClinicDoctor().visualize(dir, html, done));
      results.push({ pid, html: relative(runDir, html), issueCategory, error: null });
    } catch (error) {
      results.push({ pid, html: null, issueCategory: null, error: (error as Error).message });
    }
  }
  writeFileSync(join(strategyDir, DOCTOR_RESULTS_FILE), `${JSON.stringify(results, null, 2)}\n`);
  return results;
}
