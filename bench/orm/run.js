/**
 * ORM benchmarks (after `npm run build`): `node bench/orm/run.js [--quick] [name...]`. Runs every
 * bench/orm/<name>.bench.js (or those named), each writing bench/orm/RESULTS-<name>.md.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import * as prettier from 'prettier';

const quick = process.argv.includes('--quick');
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const dir = new URL('./', import.meta.url);
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.bench.js'))
  .sort()) {
  const name = file.slice(0, -'.bench.js'.length);
  if (only.length > 0 && !only.includes(name)) continue;
  const { default: run } = await import(new URL(file, dir).href);
  const markdown = await prettier.format(await run({ quick }), { parser: 'markdown' });
  writeFileSync(new URL(`RESULTS-${name}.md`, dir), markdown);
  console.log(markdown);
}
