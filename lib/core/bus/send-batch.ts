import type { BusMessage } from './bus-message.types.js';
import type { Deadline } from './deadline-queue.js';

/** What a {@link SendBatch} reports to its publisher. */
export interface SendBatchHooks {
  /** One part was accepted by the transport. */
  accepted(): void;
  /** One part failed or was not accepted in time. */
  failed(cause: unknown): void;
  /** The batch ended (every part settled, or its deadline passed). */
  ended(): void;
}

/**
 * The parts of one publish handed to the transport together: it settles once every part was
 * accepted or failed, or at its deadline (see DeadlineQueue), resolving with the parts to retry.
 * One object per publish, with no timer and no closure per part of its own.
 */
export class SendBatch implements Deadline {
  done = false;
  #pending: number;
  /** Which parts settled; undefined for the common single-part batch (`#pending` says it). */
  readonly #settled: boolean[] | undefined;
  readonly #failed: BusMessage[] = [];

  constructor(
    private readonly parts: readonly BusMessage[],
    readonly deadline: number,
    private readonly timeoutMs: number,
    private readonly hooks: SendBatchHooks,
    private readonly resolve: (failed: BusMessage[]) => void,
  ) {
    this.#pending = parts.length;
    this.#settled = parts.length > 1 ? parts.map(() => false) : undefined;
  }

  /** Part `i` was accepted. */
  accept(i: number): void {
    if (!this.#settle(i)) return;
    this.hooks.accepted();
    if (--this.#pending === 0) this.#end();
  }

  /** Part `i` failed. */
  fail(i: number, cause: unknown): void {
    if (!this.#settle(i)) return;
    this.#failed.push(this.parts[i]!);
    this.hooks.failed(cause);
    if (--this.#pending === 0) this.#end();
  }

  /** The deadline passed: every part not settled yet failed. */
  expire(): void {
    if (this.done) return;
    const late = new Error(`not accepted within ${this.timeoutMs} ms`);
    for (let i = 0; i < this.parts.length && !this.done; i++) this.fail(i, late);
  }

  /** Marks part `i` settled; false when it already was, or the batch ended. */
  #settle(i: number): boolean {
    if (this.done) return false;
    if (this.#settled === undefined) return this.#pending === 1;
    if (this.#settled[i]) return false;
    this.#settled[i] = true;
    return true;
  }

  #end(): void {
    this.done = true;
    this.hooks.ended();
    this.resolve(this.#failed);
  }
}
