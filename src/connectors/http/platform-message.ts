const maxMessageLength = 300;

/**
 * The human-readable message from a platform's JSON error body, whichever of the
 * common shapes it uses: OAuth `{error, error_description}`, `{errors: [{userMessage |
 * longMessage | message}]}` (Allegro, eBay, Amazon), `{errors: "…"}` (Shopify),
 * `{code, message}` (WooCommerce), problem details `{title, detail}`, `{error: "…"}` (Etsy).
 */
export function platformMessage(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const first = Array.isArray(body.errors) ? body.errors[0] : undefined;
  const candidates = [
    isRecord(first) ? (first.userMessage ?? first.longMessage ?? first.message) : first,
    body.error_description,
    body.message,
    body.detail,
    body.title,
    body.error,
    body.errors,
  ];
  const found = candidates.find((c): c is string => typeof c === 'string' && c.trim() !== '');
  return found?.trim();
}

/**
 * Replaces every known secret in a text and shortens it, so a platform that
 * echoes a key back ("invalid key abc…") cannot leak it into our errors.
 */
export function scrubbed(text: string, secrets: Iterable<string>): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join('[redacted]');
  }
  return result.length > maxMessageLength ? `${result.slice(0, maxMessageLength - 1)}…` : result;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
