/** One HTTP reply, with how long it took end to end. */
export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly ms: number;
}

/** Sends one JSON request to the app over real HTTP and times it. */
export async function send(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Reply> {
  const started = performance.now();
  const response = await fetch(baseUrl + path, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text), ms };
}
