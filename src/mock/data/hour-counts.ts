const HOUR = 3600;

/**
 * Row counts per hour of updatedAt. "Rows with updatedAt >= since" is then a sum over the later hours plus one
 * narrow index range inside since's own hour, instead of a walk over every later row: a re-anchored sync asks
 * for a new `since` on every page, and at a million rows the walk made each page cost milliseconds.
 */
export class HourCounts {
  private readonly counts = new Map<number, number>();
  /** Hours in ascending order and the rows from each hour to the last; rebuilt lazily after a change. */
  private hours: number[] | null = null;
  private suffix: number[] = [];

  add(updatedAt: number, delta: number): void {
    const hour = Math.floor(updatedAt / HOUR);
    const n = (this.counts.get(hour) ?? 0) + delta;
    if (n === 0) this.counts.delete(hour);
    else this.counts.set(hour, n);
    this.hours = null;
  }

  clear(): void {
    this.counts.clear();
    this.hours = null;
  }

  /** The end (exclusive) of the hour that holds `since`. */
  hourEnd(since: number): number {
    return (Math.floor(since / HOUR) + 1) * HOUR;
  }

  /** Rows whose hour is after the hour of `since`. */
  after(since: number): number {
    if (!this.hours) {
      this.hours = [...this.counts.keys()].sort((a, b) => a - b);
      this.suffix = new Array(this.hours.length + 1).fill(0);
      for (let i = this.hours.length - 1; i >= 0; i--) this.suffix[i] = (this.suffix[i + 1] as number) + (this.counts.get(this.hours[i] as number) as number);
    }
    const hour = Math.floor(since / HOUR);
    let lo = 0;
    let hi = this.hours.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.hours[mid] as number) > hour) hi = mid;
      else lo = mid + 1;
    }
    return this.suffix[lo] as number;
  }
}
