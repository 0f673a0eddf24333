/**
 * A subscription stream: the current state first, then live updates, without
 * missing one that lands while the snapshot is being read — the live iterator is
 * started before `loadSnapshot` runs. Updates older than what was already sent
 * are dropped; the stream ends after a value `isFinal` accepts.
 */
export async function* liveAfterSnapshot<T>(
  live: AsyncIterable<T>,
  loadSnapshot: () => Promise<T | null>,
  rules: {
    isNewer: (update: T, last: T) => boolean;
    /** Defence in depth: ids are checked on subscribe, payloads are checked again. */
    belongsToViewer: (update: T) => boolean;
    isFinal?: (value: T) => boolean;
  },
): AsyncGenerator<T> {
  const iterator = live[Symbol.asyncIterator]();
  let pending = iterator.next();
  try {
    const snapshot = await loadSnapshot();
    if (!snapshot) return;
    let last: T = snapshot;
    yield snapshot;
    if (rules.isFinal?.(snapshot)) return;
    while (true) {
      const next = await pending;
      if (next.done) return;
      pending = iterator.next();
      const update = next.value;
      if (!rules.belongsToViewer(update) || !rules.isNewer(update, last)) continue;
      last = update;
      yield update;
      if (rules.isFinal?.(update)) return;
    }
  } finally {
    await iterator.return?.();
  }
}

/** Live updates filtered to the viewer, for streams with no snapshot (event logs). */
export async function* liveOnly<T>(live: AsyncIterable<T>, accept: (update: T) => boolean): AsyncGenerator<T> {
  for await (const update of live) if (accept(update)) yield update;
}
