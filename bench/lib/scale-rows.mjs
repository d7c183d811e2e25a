// The per-call benches measure the broker twice: with every `scale` feature off (the broker's own
// cost per call, the figure with the <= 1.10 target) and with the defaults, whose ratio is flagged
// above FLAG_RATIO with the reason the bench measured. On cloud-sim, which answers in about a
// millisecond, back-to-back calls of one caller run faster than any documented request budget.

/** Every scale feature off: the per-call baseline (core's SCALE_OFF, as config). */
export const SCALE_OFF_CONFIG = Object.freeze({
  coalescePolling: false,
  singleFlightReads: false,
  adaptivePolling: false,
  requestBudget: false,
  attachBatchWindowMs: 0,
});

/** A defaults ratio above this is flagged, with its reason. */
export const FLAG_RATIO = 1.25;

/**
 * The defaults row: `  <label>: broker B ms, hand-written H ms; ratio R (flag above 1.25) ok|FLAGGED`,
 * then, when flagged, `  why <label>: <reason>`. bench/run.mjs reads both.
 */
export function defaultsLines(indent, label, brokerMs, handMs, why) {
  const ratio = brokerMs / handMs;
  const flagged = ratio > FLAG_RATIO;
  const lines = [
    `${indent}${label}: broker ${brokerMs.toFixed(3)} ms, hand-written ${handMs.toFixed(3)} ms; ratio ${ratio.toFixed(3)} (flag above ${FLAG_RATIO}) ${flagged ? 'FLAGGED' : 'ok'}`,
  ];
  if (flagged) lines.push(`${indent}why ${label}: ${why}`);
  return lines;
}

/** The request rate one caller's back-to-back calls reach: requests per call over the call's time. */
export function requestRate(requestsPerCall, msPerCall) {
  return (requestsPerCall * 1000) / msPerCall;
}

/**
 * The `scale` off rows: `  median broker B ms, direct D ms, ratio R (target <= 1.10)`, then the
 * request totals of each side and whether they are equal (bench/run.mjs reads both), then `extra`.
 */
export function scaleOffLines(indent, brokerMs, directMs, requests, extra = '') {
  const equal = requests.broker === requests.direct ? 'equal' : 'DIFFERENT';
  return [
    `${indent}median broker ${brokerMs.toFixed(2)} ms, direct ${directMs.toFixed(2)} ms, ratio ${(brokerMs / directMs).toFixed(3)} (target <= 1.10)`,
    `${indent}requests broker ${requests.broker}, direct ${requests.direct} (${equal})${extra}`,
  ];
}
