// A deployment as the user runs it, read from a gunicorn or uvicorn command line, a gunicorn config file
// or a Kubernetes manifest, before it becomes a scenario (pure). Every setting keeps where it came from,
// so `init` can list what it used, what it defaulted and what it could not map.

/** What became of one setting of the user's deployment in the scenario. */
/** `not needed`: a setting that has no bearing on how a starved worker is judged or killed. */
export type SettingFate = 'used' | 'defaulted' | 'not mapped' | 'not needed';

export interface SettingNote {
  /** Where the setting lives, as the user knows it: `gunicorn --timeout`, `livenessProbe.periodSeconds`. */
  setting: string;
  /** Its value as written (or the default's), short. */
  value: string;
  fate: SettingFate;
  /** What it became in the scenario, or why it could not be. */
  effect: string;
}

/** gunicorn's settings that decide a worker's liveness, as read (null: not given, gunicorn's default applies). */
export interface GunicornSettings {
  workerClass: string | null;
  workers: number | null;
  timeoutS: number | null;
  keepaliveS: number | null;
  gracefulTimeoutS: number | null;
  threads: number | null;
  /** `-c`/`--config`, when the command names one. */
  configFile: string | null;
  /** The WSGI/ASGI app reference (`main:app`), when given. */
  app: string | null;
  /** Other options seen, as written (listed as not mapped). */
  other: string[];
  /** Settings whose value above is gunicorn's default (a config file read by gunicorn gives every value). */
  defaulted?: readonly string[] | undefined;
}

/** uvicorn's command-line settings that decide a worker's liveness (null: not given). */
export interface UvicornSettings {
  workers: number | null;
  healthcheckTimeoutS: number | null;
  loop: string | null;
  http: string | null;
  keepAliveS: number | null;
  app: string | null;
  other: string[];
}

export type ServerSettings = { server: 'gunicorn'; settings: GunicornSettings; source: string } | { server: 'uvicorn'; settings: UvicornSettings; source: string };

export type ProbeHandler = { kind: 'httpGet'; path: string } | { kind: 'tcpSocket' } | { kind: 'exec'; command: string[] } | { kind: 'grpc' };

/** A container's probe in the manifest's units (seconds), with Kubernetes' defaults for what it leaves out. */
export interface ManifestProbe {
  handler: ProbeHandler;
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
  successThreshold: number;
  terminationGracePeriodSeconds: number | null;
  /** Which of the fields above the manifest set (the others are Kubernetes' defaults). */
  given: readonly string[];
}

/** The container `init` reproduces, from its pod. */
export interface ManifestContainer {
  /** `Deployment/api` and the container's name, for messages. */
  workload: string;
  name: string;
  /** command and args joined, as the container runs them (null: the image's entrypoint, unknown here). */
  commandLine: string[] | null;
  livenessProbe: ManifestProbe | null;
  startupProbe: ManifestProbe | null;
  readinessProbe: boolean;
  /** The pod's terminationGracePeriodSeconds (30 when left out). */
  podGraceSeconds: number;
  podGraceGiven: boolean;
  /** resources.limits.cpu as written ("500m", "1"), or null. */
  cpuLimit: string | null;
}
