import { table } from '../demo/text-table.js';
import type { ClusterReport } from './run-cluster.js';

/** Renders the cluster scenario: one row per instance, how propagation was measured, the verdict. */
export function formatClusterReport(report: ClusterReport, setting: string): string {
  const rows = report.instances.map((instance, i) => [
    instance.name,
    instance.url,
    instance.before,
    instance.after,
    String(instance.queries),
    String(instance.bus.published),
    String(instance.bus.received),
    String(instance.bus.applied),
    String(instance.bus.gapsDetected),
    i === 0 ? 'updated here' : propagation(instance.propagationMs),
  ]);
  return [
    `HydraCache cluster demo: ${report.instances.length} sample-app processes, ${setting}`,
    `PATCH ${report.instances[0].name} /tenants/acme/users/1 {"name":"${report.newName}"}: ` +
      `answered in ${report.patchMs.toFixed(1)} ms`,
    '',
    table(
      [
        'instance',
        'url',
        'before',
        'after',
        'db queries',
        'published',
        'received',
        'applied',
        'gaps',
        'entry gone',
      ],
      rows,
      new Set([4, 5, 6, 7, 8, 9]),
    ),
    '',
    'entry gone: ms from the PATCH reply reaching this client to the first poll of the instance',
    "(GET /cache/contains, back to back, one loopback round trip each) that found the user's entry",
    'gone; negative when it was gone before the reply arrived. bench/cluster measures it exactly.',
    '',
    report.problems.length === 0
      ? 'All instances serve the update: the invalidation reached every instance over the bus.'
      : ['Checks FAILED:', ...report.problems.map((p) => `  ${p}`)].join('\n'),
  ].join('\n');
}

function propagation(ms: number | undefined): string {
  return ms === undefined ? 'never' : `${ms.toFixed(1)} ms`;
}
