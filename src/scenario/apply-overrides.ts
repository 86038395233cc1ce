// Overrides of a scenario's common fields (the CLI's --timeout, --clients, ...), applied to the raw
// scenario before validation, so one validator judges the result (pure).

export interface ScenarioOverrides {
  timeoutMs?: number;
  durationMs?: number;
  clients?: number;
  workers?: number;
  seed?: number;
  strategies?: string[];
  loop?: string;
  http?: string;
  /** With --stack real: which installed gunicorn and uvicorn. */
  pythonStack?: string;
  /** An open load's rate; 0 turns an open load back into closed-loop clients. */
  arrivalsPerS?: number;
  /** The closed-loop client (autocannon or wrk). */
  client?: string;
  /** The reverse proxy in front of the server (nginx), or `none`. */
  proxy?: string;
  master?: string;
}

/** Applies overrides to a raw scenario object; expectations of strategies no longer run are dropped. */
export function applyOverrides(raw: Record<string, unknown>, overrides: ScenarioOverrides): void {
  const set = (key: string, value: unknown): void => {
    if (value !== undefined) raw[key] = value;
  };
  set('timeoutMs', overrides.timeoutMs);
  set('durationMs', overrides.durationMs);
  set('workers', overrides.workers);
  set('seed', overrides.seed);
  set('loop', overrides.loop);
  set('http', overrides.http);
  set('pythonStack', overrides.pythonStack);
  set('master', overrides.master);
  if (overrides.clients !== undefined) {
    const load = typeof raw['load'] === 'object' && raw['load'] !== null ? (raw['load'] as Record<string, unknown>) : {};
    raw['load'] = { ...load, clients: overrides.clients };
  }
  if (overrides.arrivalsPerS !== undefined) {
    const { arrivalsPerS: _closed, ...load } = typeof raw['load'] === 'object' && raw['load'] !== null ? (raw['load'] as Record<string, unknown>) : {};
    // Open arrivals have no think time; closed-loop clients keep the scenario's.
    raw['load'] = overrides.arrivalsPerS === 0 ? load : { ...load, thinkMs: 0, arrivalsPerS: overrides.arrivalsPerS };
  }
  if (overrides.client !== undefined) {
    const load = typeof raw['load'] === 'object' && raw['load'] !== null ? (raw['load'] as Record<string, unknown>) : {};
    raw['load'] = { ...load, client: overrides.client };
  }
  if (overrides.proxy !== undefined) {
    const { proxy: _was, ...load } = typeof raw['load'] === 'object' && raw['load'] !== null ? (raw['load'] as Record<string, unknown>) : {};
    raw['load'] = overrides.proxy === 'none' ? load : { ...load, proxy: overrides.proxy };
  }
  if (overrides.strategies !== undefined) {
    raw['strategies'] = overrides.strategies;
    const expect = typeof raw['expect'] === 'object' && raw['expect'] !== null ? (raw['expect'] as Record<string, unknown>) : {};
    raw['expect'] = Object.fromEntries(Object.entries(expect).filter(([name]) => overrides.strategies?.includes(name)));
  }
}

