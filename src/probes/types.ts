// A liveness probe as the kubelet runs it (Kubernetes documentation, "Configure Liveness, Readiness
// and Startup Probes" and "Pod Lifecycle"; kubelet pkg/kubelet/prober/worker.go): every field in
// milliseconds of scenario time, so the whole probe scales with --time-scale.

/**
 * `httpGet`: success is a status from 200 to 399 within the timeout; `tcpSocket`: success is an opened
 * connection (the kernel completes the handshake even while the loop is blocked); `exec`: success is a
 * heartbeat file younger than `maxHeartbeatAgeMs` (the usual `test $(($(date +%s) - $(stat -c %Y f))) -lt N`).
 */
export type ProbeKind = 'httpGet' | 'tcpSocket' | 'exec';

export interface LivenessProbe {
  kind: ProbeKind;
  /** httpGet only: the path probed on the worker's port. */
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
  /** terminationGracePeriodSeconds: SIGTERM, then SIGKILL after this long. */
  terminationGracePeriodMs: number;
  /** exec only: the heartbeat file's age that fails the check. */
  maxHeartbeatAgeMs: number;
}

/** The kubelet's defaults (periodSeconds 10, timeoutSeconds 1, failureThreshold 3, grace 30 s). */
export const PROBE_DEFAULTS: LivenessProbe = {
  kind: 'httpGet',
  path: '/healthz',
  initialDelayMs: 0,
  periodMs: 10_000,
  timeoutMs: 1000,
  failureThreshold: 3,
  successThreshold: 1,
  terminationGracePeriodMs: 30_000,
  maxHeartbeatAgeMs: 10_000,
};

/** The kubelet's minimums: periodSeconds and timeoutSeconds at least 1. */
export const PROBE_MINIMUM_MS = 1000;

export type ProbeResult = 'success' | 'failure';
