// What a run keeps of Clinic.js Doctor per strategy (<strategy>/doctor.json): one entry per worker.

export const DOCTOR_RESULTS_FILE = 'doctor.json';

/** Doctor's own verdict: 'event-loop', 'io', 'gc', 'none', 'unknown', or 'data' (not enough data). */
export interface DoctorResult {
  pid: number;
  /** Doctor's HTML, relative to the run directory; null when it could not be rendered. */
  html: string | null;
  issueCategory: string | null;
  /** Why Doctor could not judge or render, in its words or ours. */
  error: string | null;
}
