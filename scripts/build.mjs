// Builds the package: the ES module build (tsc: dist/**/*.js + .d.ts) and, from it, the CommonJS
// build (esbuild: dist/cjs/**/*.cjs + .d.cts). Entry points are not listed here: every subpath in
// package.json `exports` is checked to point at files this build made, so adding an entry point
// (say `./redis`) is one entry in `exports`. Run with `npm run build`.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = path.join(ROOT, 'dist');
const CJS = path.join(DIST, 'cjs');

/**
 * Dependencies the CommonJS build carries inside itself because they ship as ES modules only:
 * a CommonJS Jest (no `require(esm)`) could not load them. None today (the store no longer uses
 * quick-lru); every package stays external.
 */
const BUNDLED_INTO_CJS = new Set([]);

const manifest = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8'));

/** Packages the CommonJS build requires at run time instead of bundling. */
const EXTERNAL = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }).filter(
  (name) => !BUNDLED_INTO_CJS.has(name),
);

/** The bare package name of an import specifier (`@scope/name/sub` -> `@scope/name`). */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every file under `dir` whose name ends with `suffix`, skipping `skip`. */
async function filesUnder(dir, suffix, skip) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !file.startsWith(skip + path.sep));
}

/**
 * esbuild plugin: each compiled file becomes one CommonJS file whose relative imports stay
 * imports of sibling `.cjs` files (so two entry points share one copy of the core), external
 * packages stay `require`s, and only {@link BUNDLED_INTO_CJS} is inlined. An import of a package
 * the manifest does not declare fails the build rather than being bundled by accident.
 */
const cjsImports = {
  name: 'cjs-imports',
  setup(esbuild) {
    esbuild.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point' || args.path.startsWith('node:')) return undefined;
      if (args.path.startsWith('.')) {
        if (!args.importer.startsWith(DIST)) return undefined; // inside a bundled package
        return { path: args.path.replace(/\.js$/, '.cjs'), external: true };
      }
      const name = packageName(args.path);
      if (EXTERNAL.includes(name)) return { path: args.path, external: true };
      if (BUNDLED_INTO_CJS.has(name)) return undefined;
      return { errors: [{ text: `${args.path} is not a declared dependency of the package` }] };
    });
  },
};

/** Rewrites a declaration file's relative `.js` specifiers to `.cjs` (TypeScript maps to .d.cts). */
function toCjsDeclaration(text) {
  return text.replace(/(['"])(\.{1,2}\/[^'"]*?)\.js\1/g, '$1$2.cjs$1');
}

async function buildCommonJs() {
  const sources = await filesUnder(DIST, '.js', CJS);
  await build({
    entryPoints: sources,
    outdir: CJS,
    outbase: DIST,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // Classes keep their names (esbuild renames some to avoid clashes): Nest prints them in DI
    // errors, and default @Cached keys are built from them, so both builds must agree.
    keepNames: true,
    logLevel: 'warning',
    plugins: [cjsImports],
  });
  for (const declaration of await filesUnder(DIST, '.d.ts', CJS)) {
    const target = path.join(CJS, path.relative(DIST, declaration)).replace(/\.d\.ts$/, '.d.cts');
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, toCjsDeclaration(await readFile(declaration, 'utf8')));
  }
}

/** Fails when an `exports` target is missing, so a new subpath cannot ship half-built. */
function checkExports() {
  const missing = [];
  const visit = (target) => {
    if (typeof target === 'string') {
      if (!existsSync(path.join(ROOT, target))) missing.push(target);
    } else for (const value of Object.values(target)) visit(value);
  };
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    if (subpath === './package.json') continue;
    if (typeof target !== 'object' || !target.import || !target.require) {
      missing.push(`${subpath}: needs both an "import" and a "require" condition`);
    }
    visit(target);
  }
  if (missing.length > 0) {
    throw new Error(
      `package.json exports point at files the build did not make:\n${missing.join('\n')}`,
    );
  }
}

await rm(DIST, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
  {
    cwd: ROOT,
    stdio: 'inherit',
  },
);
await buildCommonJs();
checkExports();
