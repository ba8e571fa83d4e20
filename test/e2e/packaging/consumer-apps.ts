import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { npm, spawnChild, type ChildResult } from './npm-package.js';

const FIXTURES = fileURLToPath(new URL('./consumer/', import.meta.url));

/** How a consumer app gets its node_modules. */
export type InstallMode = 'npm install' | 'npm ci from a lockfile';

/** A minimal CommonJS NestJS app as `nest new` lays it out, reduced to what the tests need. */
export interface ConsumerApp {
  readonly label: string;
  readonly nestMajor: number;
  readonly jestMajor: number;
  readonly install: InstallMode;
  readonly dependencies: Record<string, string>;
  readonly devDependencies: Record<string, string>;
  readonly tsconfig: Record<string, unknown>;
}

/**
 * What every consumer app's manifest carries besides its dependencies. The override is the
 * README's troubleshooting recipe: cbor-extract 2.2.3 is published without its platform packages
 * on some registries, and a lockfile made with it lacks them, so `npm ci` fails.
 */
const COMMON_MANIFEST = {
  private: true,
  jest: { preset: 'ts-jest' },
  overrides: { 'cbor-extract': '2.2.2' },
};

/** Nest 10's `nest new` compiler options: `module: commonjs`, so node10 resolution (`types`). */
const NEST_10_TSCONFIG = {
  module: 'commonjs',
  declaration: true,
  removeComments: true,
  emitDecoratorMetadata: true,
  experimentalDecorators: true,
  allowSyntheticDefaultImports: true,
  target: 'ES2021',
  sourceMap: true,
  outDir: './dist',
  baseUrl: './',
  skipLibCheck: true,
  strictNullChecks: false,
  noImplicitAny: false,
};

/** Nest 11's `nest new` compiler options: `nodenext`, so the `require` condition of `exports`. */
const NEST_11_TSCONFIG = {
  module: 'nodenext',
  moduleResolution: 'nodenext',
  resolvePackageJsonExports: true,
  esModuleInterop: true,
  isolatedModules: true,
  declaration: true,
  removeComments: true,
  emitDecoratorMetadata: true,
  experimentalDecorators: true,
  allowSyntheticDefaultImports: true,
  target: 'ES2023',
  sourceMap: true,
  outDir: './dist',
  baseUrl: './',
  skipLibCheck: true,
  strictNullChecks: true,
  noImplicitAny: false,
};

/** The apps of the matrix: the ranges are those a `nest new` of that major writes. */
export const CONSUMER_APPS: readonly ConsumerApp[] = [
  {
    label: 'Nest 10, Jest 29, TypeScript module commonjs',
    nestMajor: 10,
    jestMajor: 29,
    install: 'npm ci from a lockfile',
    dependencies: {
      '@nestjs/common': '^10.0.0',
      '@nestjs/core': '^10.0.0',
      'reflect-metadata': '^0.1.13',
      rxjs: '^7.8.1',
    },
    devDependencies: {
      '@nestjs/testing': '^10.0.0',
      '@types/jest': '^29.5.2',
      '@types/node': '^20.3.1',
      jest: '^29.5.0',
      'ts-jest': '^29.1.0',
      typescript: '^5.1.3',
    },
    tsconfig: NEST_10_TSCONFIG,
  },
  {
    label: 'Nest 11, Jest 30, TypeScript module nodenext',
    nestMajor: 11,
    jestMajor: 30,
    install: 'npm install',
    dependencies: {
      '@nestjs/common': '^11.0.1',
      '@nestjs/core': '^11.0.1',
      'reflect-metadata': '^0.2.2',
      rxjs: '^7.8.1',
    },
    devDependencies: {
      '@nestjs/testing': '^11.0.1',
      '@types/jest': '^30.0.0',
      '@types/node': '^20.3.1',
      jest: '^30.0.0',
      'ts-jest': '^29.4.0',
      typescript: '^5.7.3',
    },
    tsconfig: NEST_11_TSCONFIG,
  },
];

/** Flags every npm command of a consumer gets: the shared cache first, no audit or funding. */
const NPM_FLAGS = ['--no-audit', '--no-fund', '--prefer-offline'];

/**
 * Writes the app into `dir` (manifest with the tarball as a dependency, tsconfig, its Jest test
 * file, the mixed-loading script) and installs it from the registry through the shared npm cache,
 * with plain npm (no --legacy-peer-deps): with `npm ci`, a lockfile is made first.
 */
export async function createConsumerApp(
  dir: string,
  app: ConsumerApp,
  tarball: string,
): Promise<void> {
  await mkdir(path.join(dir, 'src'), { recursive: true });
  const manifest = {
    name: `consumer-nest-${app.nestMajor}`,
    ...COMMON_MANIFEST,
    dependencies: { '@hydracache/nestjs': `file:${tarball}`, ...app.dependencies },
    devDependencies: app.devDependencies,
  };
  await writeFile(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  const tsconfig = { compilerOptions: app.tsconfig, include: ['src'] };
  await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  await copyFile(path.join(FIXTURES, 'cached.e2e-spec.ts'), path.join(dir, 'src/cached.spec.ts'));
  await copyFile(path.join(FIXTURES, 'mixed-loading.mjs'), path.join(dir, 'mixed-loading.mjs'));
  if (app.install === 'npm install') {
    await npm(['install', ...NPM_FLAGS], dir);
  } else {
    await npm(['install', '--package-lock-only', ...NPM_FLAGS], dir);
    await npm(['ci', ...NPM_FLAGS], dir);
  }
}

/** The version of an installed package of the app. */
export async function installedVersion(dir: string, name: string): Promise<string> {
  const manifest = path.join(dir, 'node_modules', name, 'package.json');
  return (JSON.parse(await readFile(manifest, 'utf8')) as { version: string }).version;
}

/** Runs the app's own Jest (its default CommonJS config) and returns its exit and output. */
export async function runConsumerJest(dir: string): Promise<ChildResult> {
  return spawnChild(
    process.execPath,
    [path.join(dir, 'node_modules/jest/bin/jest.js'), '--ci'],
    dir,
  );
}

/**
 * Type-checks the app with its own TypeScript and tsconfig. Its test file holds a
 * `@ts-expect-error` that only holds when the package's declarations resolved (not `any`).
 */
export async function typecheckConsumer(dir: string): Promise<ChildResult> {
  const tsc = path.join(dir, 'node_modules/typescript/bin/tsc');
  return spawnChild(process.execPath, [tsc, '--noEmit'], dir);
}

/** Runs the mixed-loading script and parses what it printed. */
export async function runMixedLoading(dir: string): Promise<ChildResult> {
  return spawnChild(process.execPath, ['mixed-loading.mjs'], dir);
}
