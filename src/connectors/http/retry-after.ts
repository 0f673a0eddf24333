const httpDateShape = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? .*\d{2}:\d{2}:\d{2}/;

/**
 * Seconds to wait from a `Retry-After` value (RFC 9110 §10.2.3): delta-seconds
 * or an HTTP-date. Capped at `capSeconds`; anything else (empty, negative,
 * "soon", an ISO date that Date.parse would take) is ignored → undefined.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  capSeconds: number,
  now: number = Date.now(),
): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  let seconds: number;
  if (/^\d+$/.test(text)) {
    seconds = Number(text);
  } else if (httpDateShape.test(text)) {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    seconds = Math.max(0, Math.ceil((at - now) / 1000));
  } else {
    return undefined;
  }
  return Math.min(seconds, capSeconds);
}
