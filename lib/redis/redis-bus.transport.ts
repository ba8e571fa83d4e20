import type { Redis } from 'ioredis';
import type { BusTransport, TransportListener } from '../core/bus/bus-transport.js';
import { openConnection, type ConnectionRole } from './redis-connections.js';
import type { ResolvedRedisBusOptions } from './redis-bus.options.js';
import { FrameAuth } from './frame-auth.js';
import type { CheckedFrame } from './frame-intake.js';
import { FrameReceiver } from './frame-receiver.js';
import { defineScripts, readChannelState, type ScriptedRedis } from './redis-scripts.js';
import { readMissedFrames } from './replay-log.js';
import type { CounterSnapshot } from './sequence-tracker.js';
import { shutDownConnection } from './shut-down-connection.js';

const SYNC_RETRY_MS = 250;

/**
 * The Redis transport: a subscriber and a publisher connection, messages numbered by a Lua script
 * (redis-scripts.ts), frames checked and sequenced by the receiver (frame-receiver.ts).
 *
 * After every (re)subscribe the transport syncs before it reports `connected`: it reads the counter
 * on the publisher connection, then PINGs the subscriber connection. Every message numbered up to
 * the value read was published before the read, so before the PING ran, so it is in the
 * subscription stream before the PONG: once the PONG is in, the buffer holds every message up to
 * the snapshot that reached this subscription, and the tracker can tell whether any is missing.
 */
export class RedisBusTransport implements BusTransport {
  readonly name = 'redis';
  readonly #options: ResolvedRedisBusOptions;
  readonly #auth: FrameAuth | undefined;
  readonly #receiver: FrameReceiver;
  #listener: TransportListener | undefined;
  #sub: Redis | undefined;
  #pub: ScriptedRedis | undefined;
  /** Bumped whenever the subscription is lost or closed; async steps of an older one stop. */
  #session = 0;
  /** The session that is subscribed and waits for its counter snapshot. */
  #awaitingSync: number | undefined;
  #syncRunning = false;
  #syncRetry: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #pinging = false;
  #reportedConnected = false;
  #lastError: unknown;
  readonly #warned: Record<ConnectionRole, boolean> = { sub: false, pub: false };
  #closing: Promise<void> | undefined;

  constructor(options: ResolvedRedisBusOptions) {
    this.#options = options;
    this.#auth =
      options.key && new FrameAuth(options.key, options.acceptKeys, options.redisChannel);
    const transport = this; // eslint-disable-line @typescript-eslint/no-this-alias -- getters below
    this.#receiver = new FrameReceiver(options.redisChannel, this.#auth, {
      get listener() {
        return transport.#listener;
      },
      get closing() {
        return transport.#closing !== undefined;
      },
      call: (report) => this.#call(report),
      reportedConnected: () => (this.#reportedConnected = true),
    });
  }

  start(listener: TransportListener): void {
    if (this.#listener || this.#closing) return;
    this.#listener = listener;
    const sub = openConnection(this.#options, 'sub');
    const pub = defineScripts(openConnection(this.#options, 'pub'));
    this.#sub = sub;
    this.#pub = pub;
    sub.on('ready', () => void this.#onSubReady());
    sub.on('close', () => this.#onSubClosed());
    sub.on('error', (error: unknown) => this.#onError('sub', error));
    sub.on('messageBuffer', (channel: Buffer, message: Buffer) =>
      this.#receiver.message(channel, message),
    );
    pub.on('ready', () => this.#onPubReady());
    pub.on('error', (error: unknown) => this.#onError('pub', error));
    if (this.#options.heartbeatInterval > 0) {
      this.#heartbeat = setInterval(
        () => this.#checkSubscription(),
        this.#options.heartbeatInterval,
      );
      this.#heartbeat.unref();
    }
  }

  publish(payload: Uint8Array): Promise<void> {
    const pub = this.#pub;
    if (!pub || this.#closing) {
      return Promise.reject(new Error('The redis bus is not started or already closed.'));
    }
    const bytes = this.#auth
      ? this.#auth.seal(payload)
      : Buffer.isBuffer(payload)
        ? payload
        : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    const { stateKey, logKey, redisChannel, replayLog } = this.#options;
    return pub.hydracachePublish(stateKey, logKey, redisChannel, bytes, String(replayLog)).then(
      () => undefined,
      (error: unknown) => {
        // A command that timed out on a socket that looks open: drop it and reconnect.
        if (isTimeout(error) && this.#pub === pub && !this.#closing) pub.disconnect(true);
        throw error;
      },
    );
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  async #shutDown(): Promise<void> {
    this.#session++;
    this.#awaitingSync = undefined;
    clearInterval(this.#heartbeat);
    clearTimeout(this.#syncRetry);
    const channel = this.#options.redisChannel;
    await Promise.all([
      this.#sub && shutDownConnection(this.#sub, (client) => client.unsubscribe(channel)),
      this.#pub && shutDownConnection(this.#pub),
    ]);
  }

  async #onSubReady(): Promise<void> {
    this.#warned.sub = false;
    const session = ++this.#session;
    this.#receiver.tracker.subscribing();
    try {
      await this.#sub!.subscribe(this.#options.redisChannel);
    } catch (error) {
      if (session !== this.#session) return;
      this.#warnOnce(
        'sub',
        `cannot subscribe to ${this.#options.redisChannel}; reconnecting`,
        error,
      );
      this.#sub!.disconnect(true);
      return;
    }
    if (session !== this.#session) return;
    this.#awaitingSync = session;
    await this.#sync();
  }

  #onPubReady(): void {
    this.#warned.pub = false;
    void this.#sync();
  }

  #onSubClosed(): void {
    if (this.#closing) return;
    this.#session++;
    this.#awaitingSync = undefined;
    this.#receiver.tracker.lost();
    if (!this.#reportedConnected) return;
    this.#reportedConnected = false;
    this.#call((listener) => listener.disconnected(this.#lastError));
  }

  /** Reads the counter and orders that read against the subscription; see the class comment. */
  async #sync(): Promise<void> {
    const session = this.#awaitingSync;
    if (session === undefined || this.#syncRunning || this.#pub?.status !== 'ready') return;
    this.#syncRunning = true;
    try {
      const [state, info] = await Promise.all([
        readChannelState(this.#pub, this.#options.stateKey, this.#options.logKey),
        this.#pub.info('server'),
      ]);
      await this.#sub!.ping();
      if (session !== this.#awaitingSync) return;
      const snapshot = { ...state, runId: runIdOf(info) };
      await this.#replay(snapshot, session);
      if (session !== this.#awaitingSync) return;
      this.#awaitingSync = undefined;
      this.#receiver.report(this.#receiver.tracker.synced(snapshot));
    } catch (error) {
      if (session !== this.#awaitingSync) return;
      this.#warnOnce('pub', 'cannot read the channel counter; retrying', error);
      clearTimeout(this.#syncRetry);
      this.#syncRetry = setTimeout(() => void this.#sync(), SYNC_RETRY_MS);
      this.#syncRetry.unref();
    } finally {
      this.#syncRunning = false;
    }
    // The subscription was replaced while this sync ran: sync the new one.
    if (this.#awaitingSync !== undefined && this.#awaitingSync !== session) void this.#sync();
  }

  /**
   * Reads what this subscriber missed from the replay log into the tracker's buffer, so that the
   * reconnect is gap-free when the log still holds all of it. Each entry passes the same checks as
   * a frame off the channel (MAC, payload, sender's number).
   */
  async #replay(snapshot: CounterSnapshot, session: number): Promise<void> {
    const range =
      this.#options.replayLog > 0 ? this.#receiver.tracker.missing(snapshot) : undefined;
    if (!range || !this.#pub) return;
    let frames: CheckedFrame[];
    try {
      frames = await readMissedFrames(
        this.#pub,
        this.#options.logKey,
        range,
        snapshot.epoch,
        this.#receiver.intake,
      );
    } catch (error) {
      // No log to read (an ACL without XRANGE, a foreign key): the reconnect is then a gap.
      this.#warnOnce('pub', 'cannot read the replay log', error);
      return;
    }
    if (session === this.#awaitingSync) this.#receiver.tracker.replayed(frames);
  }

  /** Checks that the subscription still answers; a silent socket (a partition) is reconnected. */
  #checkSubscription(): void {
    const sub = this.#sub;
    if (!sub || this.#pinging || !this.#receiver.tracker.live || this.#closing) return;
    const session = this.#session;
    this.#pinging = true;
    sub.ping().then(
      () => (this.#pinging = false),
      (error: unknown) => {
        this.#pinging = false;
        if (session !== this.#session || this.#closing) return;
        this.#lastError = error;
        this.#warnOnce('sub', 'the subscription stopped answering; reconnecting', error);
        sub.disconnect(true);
      },
    );
  }

  #onError(role: ConnectionRole, error: unknown): void {
    if (role === 'sub') this.#lastError = error;
    this.#warnOnce(role, 'connection failed; reconnecting in the background', error);
  }

  #warnOnce(role: ConnectionRole, what: string, cause: unknown): void {
    if (this.#warned[role] || this.#closing) return;
    this.#warned[role] = true;
    const label = role === 'sub' ? 'subscriber' : 'publisher';
    const reason = cause instanceof Error ? cause.message : String(cause);
    this.#call((listener) =>
      listener.warn(
        `redis bus ${label} (${this.#options.redisChannel}): ${what}: ${reason}`,
        cause,
      ),
    );
  }

  /** Calls the listener; its exceptions must not reach ioredis' event loop. */
  #call(report: (listener: TransportListener) => void): void {
    const listener = this.#listener;
    if (!listener) return;
    try {
      report(listener);
    } catch (error) {
      try {
        listener.warn('the bus listener threw while handling a transport event', error);
      } catch {
        // Nothing left to report to.
      }
    }
  }
}

function runIdOf(info: string): string {
  const match = /run_id:([0-9a-f]+)/.exec(info);
  if (!match) throw new Error('INFO server did not report a run_id');
  return match[1]!;
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && /timed out/i.test(error.message);
}
