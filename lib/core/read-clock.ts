/** Reads served from one clock reading before it is taken again, even within one event-loop turn. */
const READS_PER_READING = 64;
/** After this long (ms) a pending drop timer is taken for lost (fake timers uninstalled under it). */
const LOST_TIMER_MS = 1_000;

/**
 * The clock cache reads check expiry against: `Date.now()`, taken at most once per millisecond
 * timer tick and at least every {@link READS_PER_READING} reads. On some virtual machines one
 * `Date.now()` is a system call costing more than a whole cache hit, so a hit must not pay it.
 *
 * A reading is dropped by an unref'd 1 ms timer (it never keeps the process alive) or after 64
 * reads, whichever comes first. It is never ahead of `Date.now()`, so a live entry is never
 * reported expired; an expired one can be served until the next reading: about a millisecond
 * later at most, or 64 reads later inside one long synchronous stretch. Under fake timers,
 * advancing time fires that timer first, so expiry there stays exact to the millisecond.
 */
export class ReadClock {
  #reading = 0;
  /** Reads left on the current reading; 0 when there is none. */
  #readsLeft = 0;
  /** When the pending drop timer was set (`Date.now()` ms), or undefined when none is pending. */
  #timerSetAt: number | undefined;
  readonly #drop = (): void => {
    this.#readsLeft = 0;
    this.#timerSetAt = undefined;
  };

  /** The time to check expiry against, in `Date.now()` milliseconds. */
  now(): number {
    if (this.#readsLeft > 0) {
      this.#readsLeft--;
      return this.#reading;
    }
    return this.#read();
  }

  #read(): number {
    const reading = Date.now();
    this.#reading = reading;
    this.#readsLeft = READS_PER_READING - 1;
    const setAt = this.#timerSetAt;
    // One timer at a time: a reading taken by the count is dropped by the timer already pending.
    if (setAt === undefined || reading - setAt > LOST_TIMER_MS || reading < setAt) {
      this.#timerSetAt = reading;
      setTimeout(this.#drop, 1).unref();
    }
    return reading;
  }
}
