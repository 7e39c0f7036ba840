/**
 * A one-line progress bar on stderr, redrawn in place with `\r` (no dependency). Progress is the
 * share of the *estimated* duration of finished steps plus the elapsed part of the current one.
 * When stderr is not a terminal it prints one line per step instead.
 */
export class ProgressBar {
  private done = 0;
  private current = '';
  private currentEstimate = 0;
  private currentStart = 0;
  private readonly started = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private readonly tty = process.stderr.isTTY === true;

  constructor(private readonly totalEstimateMs: number, private readonly width = 28) {}

  /** Starts a step expected to take `estimateMs`. */
  step(label: string, estimateMs: number): void {
    this.done += this.currentEstimate;
    this.current = label;
    this.currentEstimate = estimateMs;
    this.currentStart = Date.now();
    if (this.tty) {
      this.timer ??= setInterval(() => this.render(), 250);
      this.timer.unref();
      this.render();
    } else {
      process.stderr.write(`[${clock(Date.now() - this.started)}] ${label}\n`);
    }
  }

  /** Prints a message above the bar. */
  note(message: string): void {
    if (this.tty) process.stderr.write(`\r\x1b[K${message}\n`);
    else process.stderr.write(`${message}\n`);
    if (this.tty) this.render();
  }

  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.tty) process.stderr.write(`\r\x1b[K`);
    process.stderr.write(`done in ${clock(Date.now() - this.started)}\n`);
  }

  private render(): void {
    const inStep = Math.min(Date.now() - this.currentStart, this.currentEstimate);
    const fraction = Math.min(1, (this.done + inStep) / Math.max(1, this.totalEstimateMs));
    const filled = Math.round(fraction * this.width);
    const elapsed = Date.now() - this.started;
    const left = fraction > 0.02 ? elapsed / fraction - elapsed : Number.NaN;
    const line = `[${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ` +
      `${clock(elapsed)} elapsed${Number.isFinite(left) ? `, ~${clock(left)} left` : ''} | ${this.current}`;
    const columns = process.stderr.columns ?? 120;
    process.stderr.write(`\r\x1b[K${line.slice(0, columns - 1)}`);
  }
}

function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
