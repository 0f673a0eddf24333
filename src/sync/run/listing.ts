/**
 * The newest marketplace change time among a listing's items, as the next
 * `since`: it is the platform's own clock, and a listing that starts at it again
 * re-reads the boundary items (harmless, their hashes match) rather than missing any.
 */
export function newestChange(current: string | null, items: { updatedAt: Date | null }[]): string | null {
  let newest = current ? Date.parse(current) : Number.NEGATIVE_INFINITY;
  for (const item of items) {
    const time = item.updatedAt?.getTime();
    if (time !== undefined && time > newest) newest = time;
  }
  return Number.isFinite(newest) ? new Date(newest).toISOString() : null;
}
