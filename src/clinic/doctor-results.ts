// What a run keeps of Clinic.js Doctor per strategy (<strategy>/doctor.json): one entry per worker,
// and its one decoder.

import { z } from 'zod';

export const DOCTOR_RESULTS_FILE = 'doctor.json';

/** Doctor's own verdict: 'event-loop', 'io', 'gc', 'none', 'unknown', or 'data' (not enough data). */
export const doctorResultSchema = z.object({
  pid: z.number().int(),
  /** Doctor's HTML, relative to the run directory; null when it could not be rendered. */
  html: z.string().nullable(),
  issueCategory: z.string().nullable(),
  /** Why Doctor could not judge or render, in its words or ours. */
  error: z.string().nullable(),
});
export type DoctorResult = z.infer<typeof doctorResultSchema>;

export const doctorResultsSchema = z.array(doctorResultSchema);
