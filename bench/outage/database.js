/**
 * The database behind every system of the outage benchmark: answers in `latencyMs`, counts its
 * calls, and during an outage either fails at once (`fail`) or holds every call until the outage
 * ends (`hang`: a stuck connection that answers late).
 */
export class OutageDatabase {
  /** @param {{ latencyMs: number, fault: 'fail' | 'hang' }} options */
  constructor({ latencyMs, fault }) {
    this.latencyMs = latencyMs;
    this.fault = fault;
    this.down = false;
    this.calls = 0;
    this.callsDuringOutage = 0;
    /** @type {(() => void)[]} calls a hang holds */
    this.held = [];
  }

  /** Starts the outage. */
  fail() {
    this.down = true;
  }

  /** Ends the outage: held calls go on and answer. */
  recover() {
    this.down = false;
    for (const resume of this.held.splice(0)) resume();
  }

  /** One query: the row for `key`. */
  async load(key) {
    this.calls++;
    if (this.down) {
      this.callsDuringOutage++;
      if (this.fault === 'fail') throw new Error(`database down (${key})`);
      await new Promise((resolve) => this.held.push(resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    return { key, name: `row ${key}`, loadedAt: Date.now() };
  }
}
