/**
 * What is stored of a driver's response: node-postgres answers with a `Result` object that carries
 * functions (its row parsers), which cannot be encoded; Drizzle only reads its data fields back.
 * Other drivers' responses (arrays of rows) are stored as they are.
 */
export function plainResponse(response: unknown): unknown {
  if (response === null || typeof response !== 'object' || Array.isArray(response)) return response;
  const r = response as Record<string, unknown>;
  if (!Array.isArray(r['rows']) || typeof r['command'] !== 'string') return response;
  return {
    command: r['command'],
    rowCount: r['rowCount'],
    oid: r['oid'],
    rows: r['rows'],
    fields: Array.isArray(r['fields'])
      ? r['fields'].map((field) => ({ ...(field as object) }))
      : [],
  };
}
