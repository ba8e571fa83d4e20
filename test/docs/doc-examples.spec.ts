import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const checker = path.join(root, 'scripts', 'check-doc-examples.mjs');

/** Runs the docs checker on Markdown files written to a temp folder; returns its exit code and output. */
function check(files: Record<string, string>): { status: number | null; output: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'doc-examples-'));
  try {
    const paths = Object.entries(files).map(([name, markdown]) => {
      writeFileSync(path.join(dir, name), markdown);
      return path.join(dir, name);
    });
    const run = spawnSync(process.execPath, [checker, ...paths], { cwd: root, encoding: 'utf8' });
    return { status: run.status, output: run.stdout + run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const GOOD = `# Good

\`\`\`ts
import { HydraCache } from '@hydracache/nestjs';
import { redisBus } from '@hydracache/nestjs/redis';

declare const url: string;
const cache = HydraCache.local().defaultTtl(60_000).bus(redisBus({ url })).build();
await cache.close();
\`\`\`

- In a list item:

  \`\`\`typescript
  const n: number = 1;
  \`\`\`

<!-- no-check -->

\`\`\`ts
@UseInterceptors(A, B) // a fragment, deliberately
\`\`\`

\`\`\`bash
not TypeScript: never checked
\`\`\`
`;

describe('scripts/check-doc-examples.mjs', () => {
  it('passes Markdown whose examples compile against lib/, skipping no-check blocks and shell', () => {
    const { status, output } = check({ 'good.md': GOOD });
    expect(output).toContain('2 TypeScript examples in 1 Markdown files, 1 marked no-check');
    expect(status).toBe(0);
  }, 120_000);

  it('fails on a wrong type or a missing export, naming each Markdown file and line', () => {
    const bad = [
      '# Bad', // 1
      '', // 2
      '```ts', // 3
      "import { HydraCache } from '@hydracache/nestjs';", // 4
      '', // 5
      "const cache = HydraCache.local().defaultTtl('five minutes').build();", // 6
      '```', // 7
      '',
    ].join('\n');
    const missing = "```ts\nimport { NoSuchThing } from '@hydracache/nestjs';\n```\n";
    const { status, output } = check({ 'bad.md': bad, 'missing.md': missing });
    expect(status).toBe(1);
    expect(output).toMatch(/bad\.md:6:\d+ - error TS2345: Argument of type 'string'/);
    expect(output).toMatch(/missing\.md:2:\d+ - error TS2305/);
    expect(output).toContain('2 type error(s) in 2 TypeScript examples in 2 Markdown files');
  }, 120_000);
});
