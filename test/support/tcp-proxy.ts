import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a Redis, so a test can partition the clients that connect through it:
 * `cut()` drops every connection and refuses new ones until `restore()`; `pause()` stops reading
 * from the server (a slow consumer) until `resume()`.
 */
export class TcpProxy {
  readonly #pairs = new Set<{ client: Socket; upstream: Socket }>();
  #cut = false;
  #paused = false;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly targetPort: number,
  ) {
    server.on('connection', (client) => this.#accept(client));
  }

  /** Listens on a free port of 127.0.0.1 and forwards to 127.0.0.1:`targetPort`. */
  static async start(targetPort: number): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    return new TcpProxy(
      server,
      typeof address === 'object' && address ? address.port : 0,
      targetPort,
    );
  }

  /** `redis://127.0.0.1:<proxy port>`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Drops every open connection and refuses new ones. */
  cut(): void {
    this.#cut = true;
    for (const pair of this.#pairs) this.#drop(pair);
  }

  /** Accepts connections again. */
  restore(): void {
    this.#cut = false;
  }

  /** Stops reading from the server on every connection, so Redis' output buffers fill. */
  pause(): void {
    this.#paused = true;
    for (const { upstream } of this.#pairs) upstream.pause();
  }

  /** Reads from the server again. */
  resume(): void {
    this.#paused = false;
    for (const { upstream } of this.#pairs) upstream.resume();
  }

  /** Drops every connection and stops listening. */
  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  #accept(client: Socket): void {
    if (this.#cut) {
      client.destroy();
      return;
    }
    const upstream = connect({ host: '127.0.0.1', port: this.targetPort });
    const pair = { client, upstream };
    this.#pairs.add(pair);
    if (this.#paused) upstream.pause();
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = (): void => this.#drop(pair);
    for (const socket of [client, upstream]) {
      socket.on('error', drop);
      socket.on('close', drop);
    }
  }

  #drop(pair: { client: Socket; upstream: Socket }): void {
    this.#pairs.delete(pair);
    pair.client.destroy();
    pair.upstream.destroy();
  }
}
