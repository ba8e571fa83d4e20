#!/usr/bin/env node
// Type-checks every ```ts / ```typescript block of the documentation against the library source,
// so an example a user copies compiles. Each block becomes one module in a scratch folder inside
// the repository (so packages resolve from node_modules), compiled in one program with the
// compiler options of tsconfig.json (its `paths` map `@hydracache/nestjs` and
// `@hydracache/nestjs/<entry>` to lib/). Errors are reported as `README.md:LINE:COL`.
//
//   node scripts/check-doc-examples.mjs              README.md and docs/**/*.md
//   node scripts/check-doc-examples.mjs a.md b.md    just these files
//
// A block that is deliberately a fragment is skipped when the line before its fence (blank lines
// aside) is `<!-- no-check -->`. Blocks may `declare` the context they need (a User class, a
// repository); a block with no import or export is still compiled as a module of its own.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NO_CHECK = '<!-- no-check -->';
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/;
const CHECKED_LANGUAGES = new Set(['ts', 'typescript']);

/** The default set: README.md and every Markdown file under docs/ (generated docs/api aside). */
function defaultFiles() {
  const files = [path.join(ROOT, 'README.md')];
  const walk = (dir) => {
    let names;
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) {
        if (full !== path.join(ROOT, 'docs', 'api')) walk(full);
      } else if (name.endsWith('.md')) files.push(full);
    }
  };
  walk(path.join(ROOT, 'docs'));
  return files;
}

/** The TypeScript blocks of one Markdown file, with the line of their first code line (1-based). */
export function extractBlocks(markdown) {
  const lines = markdown.split(/\r?\n/);
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, language] = open;
    const body = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const trimmed = lines[j].trim();
      if (trimmed.startsWith(fence) && trimmed.slice(fence.length).trim() === '') break;
      // Fences indented in a list item indent their code as much; take that indent off.
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j]);
    }
    if (CHECKED_LANGUAGES.has(language.toLowerCase())) {
      blocks.push({ line: i + 2, code: body.join('\n'), skipped: markedNoCheck(lines, i) });
    }
    i = j;
  }
  return blocks;
}

function markedNoCheck(lines, fenceIndex) {
  for (let k = fenceIndex - 1; k >= 0; k--) {
    if (lines[k].trim() === '') continue;
    return lines[k].trim() === NO_CHECK;
  }
  return false;
}

/** The compiler options of tsconfig.json, for a type check only. */
function compilerOptions() {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.join(ROOT, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail(format([d])) },
  );
  if (parsed.errors.length > 0) fail(format(parsed.errors));
  return {
    ...parsed.options,
    noEmit: true,
    declaration: false,
    sourceMap: false,
    // Examples are read, not run: an unused import in one is not an error.
    noUnusedLocals: false,
    noUnusedParameters: false,
  };
}

function format(diagnostics) {
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => process.cwd(),
    getNewLine: () => '\n',
  });
}

function fail(message) {
  process.stderr.write(message);
  process.exit(2);
}

function displayPath(file) {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}

/**
 * Checks the blocks of `files`; returns `{ checked, skipped, errors }` where each error is a line
 * `file:line:col - error TSnnnn: message` pointing into the Markdown.
 */
export function checkDocExamples(files) {
  const scratch = path.join(ROOT, '.tmp', `doc-examples-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  try {
    const origins = new Map(); // scratch file -> { markdown, line }
    let skipped = 0;
    for (const file of files) {
      const relative = displayPath(file);
      const stem = relative.replace(/[^\w-]+/g, '_');
      for (const block of extractBlocks(readFileSync(file, 'utf8'))) {
        if (block.skipped) {
          skipped++;
          continue;
        }
        const target = path.join(scratch, `${stem}_L${block.line}.ts`);
        // `export {}` after the code keeps its line numbers and makes every block its own module.
        writeFileSync(target, `${block.code}\nexport {};\n`);
        origins.set(target, { markdown: relative, line: block.line });
      }
    }
    const program = ts.createProgram([...origins.keys()], compilerOptions());
    const errors = ts
      .getPreEmitDiagnostics(program)
      .map((d) => describe(d, origins))
      .sort((x, y) => x.file.localeCompare(y.file) || x.line - y.line || x.column - y.column)
      .map((e) => e.text);
    return { checked: origins.size, skipped, errors };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Where a diagnostic points, in the Markdown when it is in an example, and its text. */
function describe(diagnostic, origins) {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n    ');
  const code = `error TS${diagnostic.code}: ${message}`;
  if (diagnostic.file === undefined) return { file: '', line: 0, column: 0, text: code };
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
  const origin = origins.get(path.resolve(diagnostic.file.fileName));
  const at =
    origin === undefined
      ? { file: displayPath(diagnostic.file.fileName), line: line + 1, column: character + 1 }
      : { file: origin.markdown, line: origin.line + line, column: character + 1 };
  return { ...at, text: `${at.file}:${at.line}:${at.column} - ${code}` };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const files = args.length > 0 ? args.map((f) => path.resolve(f)) : defaultFiles();
  const { checked, skipped, errors } = checkDocExamples(files);
  for (const error of errors) console.error(error);
  const summary = `${checked} TypeScript examples in ${files.length} Markdown files, ${skipped} marked no-check`;
  if (errors.length > 0) {
    console.error(`\n${errors.length} type error(s) in ${summary}.`);
    process.exit(1);
  }
  console.log(`docs:check: ${summary}: all compile.`);
}
