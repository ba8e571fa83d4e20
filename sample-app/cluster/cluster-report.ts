import { table } from '../demo/text-table.js';
import { PATCHED_NAME, PSQL_NAME, type ClusterReport } from './run-cluster.js';

/** Renders the cluster scenario: one row per instance, how propagation was measured, the verdict. */
export function formatClusterReport(report: ClusterReport, setting: string): string {
  const rows = report.instances.map((instance, i) => [
    instance.name,
    instance.url,
    ...instance.names,
    String(instance.queries),
    String(instance.remoteChanges),
    i === 0 ? 'updated here' : gone(instance.goneMs[0]),
    gone(instance.goneMs[1]),
  ]);
  return [
    `HydraCache cluster demo: ${report.instances.length} sample-app processes, ${setting}`,
    `1. PATCH ${report.instances[0]!.name} /tenants/acme/users/1 {"name":"${PATCHED_NAME}"}`,
    `2. psql: UPDATE users SET name = '${PSQL_NAME}' WHERE tenant = 'acme' AND id = 1`,
    '',
    table(
      [
        'instance',
        'url',
        'before',
        'after 1',
        'after 2',
        'db queries',
        'remote changes',
        'gone after 1',
        'gone after 2',
      ],
      rows,
      new Set([5, 6, 7, 8]),
    ),
    '',
    "gone after N: ms from write N's reply to the first poll of the instance (GET /cache/contains,",
    "back to back, one loopback round trip each) that found the user's entry gone; negative when it",
    'was gone before the reply arrived. remote changes: invalidations applied from the change feed',
    '(and the bus, when on). bench/postgres measures commit -> applied exactly.',
    '',
    report.problems.length === 0
      ? 'All instances serve both writes: each reached every instance, the psql one through the change feed.'
      : ['Checks FAILED:', ...report.problems.map((p) => `  ${p}`)].join('\n'),
  ].join('\n');
}

function gone(ms: number | undefined): string {
  return ms === undefined ? 'never' : `${ms.toFixed(1)} ms`;
}
