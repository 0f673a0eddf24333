/** Marker for a body that went past the cap; the stream has been cancelled. */
export const TOO_LARGE = Symbol('response body too large');

/**
 * Reads a response body, giving up as soon as it passes `maxBytes`: a declared
 * Content-Length over the cap is refused before reading, and a streamed (or
 * decompressed) body is cancelled the moment the count goes over, so a hostile
 * or broken platform cannot make us buffer gigabytes.
 */
export async function readBodyCapped(response: Response, maxBytes: number): Promise<Buffer | typeof TOO_LARGE> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    return TOO_LARGE;
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return TOO_LARGE;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
