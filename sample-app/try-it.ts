/** A command to try and what it shows. */
interface Example {
  readonly command: string;
  readonly note: string;
}

const JSON_BODY = "-H 'content-type: application/json' -d";

function examples(url: string, databaseUrl: string): Example[] {
  return [
    { command: `curl ${url}/tenants/acme/users/1`, note: 'miss: one query, then cached' },
    { command: `curl ${url}/tenants/acme/users/1`, note: 'hit: no query' },
    { command: `curl ${url}/tenants/globex/users/1`, note: 'same id, other tenant: its own key' },
    { command: `curl ${url}/tenants/acme/users`, note: 'a list, tagged with each of its users' },
    {
      command: `curl ${url}/tenants/acme/users/count`,
      note: "TypeORM's cache option, stored in HydraCache",
    },
    {
      command: `curl -X PATCH ${url}/tenants/acme/users/1 ${JSON_BODY} '{"name":"Ada King"}'`,
      note: 'update: invalidates user 1 and the lists holding it',
    },
    {
      command: `psql ${databaseUrl} -c "UPDATE users SET name = 'Ada Byron' WHERE tenant = 'acme' AND id = 1"`,
      note: 'a write outside the app: the change feed drops user 1 on every instance, then curl again',
    },
    { command: `curl ${url}/tenants/acme`, note: 'a tenant, cached through a TypedCache' },
    {
      command: `curl -X PUT ${url}/tenants/acme ${JSON_BODY} '{"name":"Acme Inc","plan":"team"}'`,
      note: 'invalidates everything cached for acme',
    },
    { command: `curl ${url}/tenants/acme/users/999`, note: '404, never cached' },
    {
      command: `curl -X PUT ${url}/admin/database ${JSON_BODY} '{"fault":"fail"}'`,
      note: 'database outage ("fail", "stall" or "none"): cached users are served stale (fail-safe)',
    },
    {
      command: `curl -X POST ${url}/admin/cache/expire ${JSON_BODY} '{"key":"users:tenant:acme:user:1"}'`,
      note: 'expire user 1 now (as its TTL passing would): still servable within its grace',
    },
    { command: `curl ${url}/cache/stats`, note: 'hits, misses, loads, single-flight joins...' },
    { command: `curl ${url}/db/stats`, note: 'queries the app sent to the database' },
    {
      command: `curl '${url}/cache/contains?key=users:tenant:acme:user:1'`,
      note: 'is the entry cached here? (no load)',
    },
  ];
}

/** What to try once the app listens: printed by `npm start`. */
export function tryIt(baseUrl: string, databaseUrl: string): string {
  const list = examples(baseUrl, databaseUrl);
  // Commands with a body (or as long as the psql one) go under their note instead of beside it.
  const long = (e: Example): boolean => e.command.includes(JSON_BODY) || e.command.length > 80;
  const width = Math.max(...list.filter((e) => !long(e)).map((e) => e.command.length));
  const lines = list.map((e) =>
    long(e) ? `  # ${e.note}\n  ${e.command}` : `  ${e.command.padEnd(width)}  # ${e.note}`,
  );
  return [
    `HydraCache sample app listening on ${baseUrl}`,
    '',
    `Database: ${databaseUrl} (DATABASE_URL, or an embedded PGlite when unset)`,
    'Try it (each query also waits DB_LATENCY_MS, 40 ms by default; a cache hit takes about 1 ms):',
    ...lines,
    '',
    'Settings (environment): PORT, CACHE_TTL_MS, CACHE_MAX_ENTRIES, DB_LATENCY_MS, DB_FAULT, DATABASE_URL,',
    'DB_SCHEMA; instances on one DATABASE_URL stay consistent through its change feed, and with REDIS_URL',
    '(REDIS_CHANNEL, INSTANCE_NAME) also on the Redis bus. Stop with Ctrl+C.',
  ].join('\n');
}
