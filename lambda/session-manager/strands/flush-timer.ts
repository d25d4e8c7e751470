/**
 * Flushes buffered messages on a timer while the plugin is in use, so a batched message
 * waits at most one interval even inside a long invocation. A failed flush keeps its
 * messages pending (the session manager resends them with the next flush); the timer does
 * not keep the process alive, and it stops when the plugin is closed.
 */
export class FlushTimer {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly flush: () => Promise<void>,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  /** Starts the timer if it is not running. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.flush().catch(this.onFailure), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
