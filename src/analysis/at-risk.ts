// When a survivor counts as at risk (pure): one threshold for the classification and its explanation.

/** A survivor whose longest heartbeat gap (or worst-case gap) came within this share of the timeout is at risk. */
export const AT_RISK_MARGIN_SHARE = 0.25;

/** The gap from which a survivor is at risk: three quarters of the timeout. */
export function atRiskGapMs(timeoutMs: number): number {
  return (1 - AT_RISK_MARGIN_SHARE) * timeoutMs;
}
