/**
 * A token bucket: `capacity` requests at once, refilled continuously at
 * `perSecond`. The fake platform enforces one (429 + Retry-After when empty);
 * the connector paces itself with the same figures so it never meets the 429.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly capacity: number,
    readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = capacity;
    this.updatedAt = now();
  }

  /** Takes a token if there is one. */
  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until a token is available (0 when one is). */
  waitMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.perSecond) * 1000;
  }

  /** Waits for a token and takes it; callers queue in order. */
  async take(): Promise<void> {
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      for (let wait = this.waitMs(); wait > 0; wait = this.waitMs()) {
        await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
      }
      this.tokens -= 1;
    } finally {
      release();
    }
  }

  private queue: Promise<void> = Promise.resolve();

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond);
    this.updatedAt = now;
  }
}
