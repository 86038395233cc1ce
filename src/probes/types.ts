// A liveness probe as the kubelet runs it (Kubernetes documentation, "Configure Liveness, Readiness
// and Startup Probes" and "Pod Lifecycle"; kubelet pkg/kubelet/prober/worker.go): every field in
// milliseconds of scenario time, so the whole probe scales with --time-scale.

/**
 * `httpGet`: success is a status from 200 to 399 within the timeout; `tcpSocket`: success is an opened
 * connection (the kernel completes the handshake even while the loop is blocked); `exec`: success is a
 * heartbeat file younger than `maxHeartbeatAgeMs` (the usual `test $(($(date +%s) - $(stat -c %Y f))) -lt N`).
 */
export type ProbeKind = 'httpGet' | 'tcpSocket' | 'exec';

/** The scenario's `probe`: how the kubelet probes, whichever health strategy answers. */
export interface ProbeSettings {
  /** httpGet only: the path probed. */
  path: string;
  /** initialDelaySeconds: no probe until the container has run this long (whole seconds, as the kubelet truncates). */
  initialDelayMs: number;
  /** periodSeconds: the probe worker's ticker. */
  periodMs: number;
  /** timeoutSeconds: a probe not answered in time is a failure. */
  timeoutMs: number;
  /** failureThreshold: consecutive failures that fail the probe and kill the container. */
  failureThreshold: number;
  /** successThreshold: must be 1 for a liveness probe. */
  successThreshold: number;
  /** The pod's terminationGracePeriodSeconds: SIGTERM, then SIGKILL after this long. */
  terminationGracePeriodMs: number;
  /** livenessProbe.terminationGracePeriodSeconds (GA in 1.28): replaces the pod's for a liveness kill; null: the pod's. */
  probeTerminationGracePeriodMs: number | null;
  /**
   * How long the kubelet itself has run: `steady` (the usual case) creates the probe worker with the pod
   * and probes every period from then; `restarted` (the kubelet started less than a period ago) first
   * sleeps a random part of the period (worker.go run).
   */
  kubeletStart: KubeletStart;
  /** exec only: the heartbeat file's age that fails the check. */
  maxHeartbeatAgeMs: number;
  /** health-off-loop only: the health thread answers 503 once the loop's last tick is this old (a hung loop). */
  loopStaleMs: number;
}

export type KubeletStart = 'steady' | 'restarted';
export const KUBELET_STARTS: readonly KubeletStart[] = ['steady', 'restarted'];

/** The Kubernetes minor version whose kubelet source the lab's kubelet follows (its User-Agent says so too). */
export const KUBELET_VERSION = '1.35';

/** kuberuntime minimumGracePeriodInSeconds: a killed container always gets at least 2 s between SIGTERM and SIGKILL. */
export const MINIMUM_GRACE_SECONDS = 2;

/** The grace a liveness kill gives (kuberuntime setTerminationGracePeriod, then the 2 s floor); `secondMs` is a second at the run's scale. */
export function livenessKillGraceMs(settings: Pick<ProbeSettings, 'terminationGracePeriodMs' | 'probeTerminationGracePeriodMs'>, secondMs = 1000): number {
  return Math.max(MINIMUM_GRACE_SECONDS * secondMs, settings.probeTerminationGracePeriodMs ?? settings.terminationGracePeriodMs);
}

/**
 * How far apart failing probes start: a period, or, for a probe that fails by waiting out its timeout
 * (one answered on the loop) when that timeout is a period or more, the timeout itself: the ticker's
 * tick that fell during the probe starts the next one as soon as it ends (probes/probe-worker.ts).
 */
export function failingProbeSpacingMs(settings: Pick<ProbeSettings, 'periodMs' | 'timeoutMs'>, failsByTimeout: boolean): number {
  return failsByTimeout ? Math.max(settings.periodMs, settings.timeoutMs) : settings.periodMs;
}

/** A probe as one strategy's kubelet runs it. */
export interface LivenessProbe extends ProbeSettings {
  kind: ProbeKind;
}

/** The kubelet's defaults (periodSeconds 10, timeoutSeconds 1, failureThreshold 3, grace 30 s). */
export const PROBE_SETTINGS_DEFAULTS: ProbeSettings = {
  path: '/healthz',
  initialDelayMs: 0,
  periodMs: 10_000,
  timeoutMs: 1000,
  failureThreshold: 3,
  successThreshold: 1,
  terminationGracePeriodMs: 30_000,
  probeTerminationGracePeriodMs: null,
  kubeletStart: 'steady',
  maxHeartbeatAgeMs: 10_000,
  loopStaleMs: 10_000,
};

export const PROBE_DEFAULTS: LivenessProbe = { kind: 'httpGet', ...PROBE_SETTINGS_DEFAULTS };

/** Every duration of the probe multiplied by `factor` (--time-scale). */
export function scaleProbe(settings: ProbeSettings, factor: number): ProbeSettings {
  const scale = (ms: number): number => ms * factor;
  return {
    ...settings,
    initialDelayMs: scale(settings.initialDelayMs),
    periodMs: scale(settings.periodMs),
    timeoutMs: scale(settings.timeoutMs),
    terminationGracePeriodMs: scale(settings.terminationGracePeriodMs),
    probeTerminationGracePeriodMs: settings.probeTerminationGracePeriodMs === null ? null : scale(settings.probeTerminationGracePeriodMs),
    maxHeartbeatAgeMs: scale(settings.maxHeartbeatAgeMs),
    loopStaleMs: scale(settings.loopStaleMs),
  };
}

/** The kubelet's minimums: periodSeconds and timeoutSeconds at least 1. */
export const PROBE_MINIMUM_MS = 1000;

/** The most consecutive failures a scenario may ask for (far above the kubelet's default of 3). */
export const MAX_FAILURE_THRESHOLD = 100;

export type ProbeResult = 'success' | 'failure';
