/**
 * Marks a request started ahead of need (the next page, fetched while this one
 * commits) as handled, so that if the job stops before awaiting it, its failure
 * is not an unhandled rejection. Awaiting it still throws.
 */
export function prefetched<T>(request: Promise<T>): Promise<T> {
  request.catch(() => undefined);
  return request;
}
