import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CONSUMER_APPS,
  createConsumerApp,
  installedVersion,
  runConsumerJest,
  runMixedLoading,
  typecheckConsumer,
} from './packaging/consumer-apps.js';
import { ensureBuilt } from './packaging/built-dist.js';
import { satisfies } from './packaging/peer-range.js';
import {
  PEERS,
  createTinyApp,
  pack,
  runTinyApp,
  type ChildResult,
  type PackResult,
} from './packaging/npm-package.js';
import type { ModuleKind } from './packaging/tiny-nest-app.js';

const ROOT = process.cwd();
const REPO_MODULES = path.join(ROOT, 'node_modules');

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  peerDependencies: Record<string, string>;
  exports: Record<string, string | Record<string, Record<string, string>>>;
}

async function readManifest(dir: string): Promise<Manifest> {
  return JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** A child's output when it failed, so the assertion message shows why. */
function outcome(result: ChildResult): { code: number | null; output?: string } {
  return result.code === 0
    ? { code: 0 }
    : { code: result.code, output: result.stdout + result.stderr };
}

// One build and one tarball for every app below; the apps install from the registry through the
// shared npm cache. One spec file, so Jest never runs two npm installs at once.
describe('npm package', () => {
  let work: string;
  let packed: PackResult;
  let tarball: string;

  beforeAll(async () => {
    expect((await readManifest(ROOT)).name).toBe('@hydracache/nestjs');
    work = await mkdtemp(path.join(tmpdir(), 'hydracache-pack-'));
    ensureBuilt(ROOT);
    packed = await pack(ROOT, work);
    tarball = path.join(work, packed.filename);
  }, 120_000);

  afterAll(async () => {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  describe('the tarball', () => {
    it('holds only dist/, the README, the license and package.json', () => {
      const files = packed.files.map((file) => file.path).sort();
      expect(files.filter((file) => !file.startsWith('dist/'))).toEqual([
        'LICENSE',
        'README.md',
        'package.json',
      ]);
      expect(files).toEqual(
        expect.arrayContaining([
          'dist/index.js',
          'dist/index.d.ts',
          'dist/cjs/index.cjs',
          'dist/cjs/index.d.cts',
        ]),
      );
    });

    it('gives every entry point an ES module and a CommonJS build, each with its types', async () => {
      const { exports } = await readManifest(ROOT);
      const files = new Set(packed.files.map((file) => file.path));
      for (const [subpath, target] of Object.entries(exports)) {
        if (subpath === './package.json') continue;
        expect({ subpath, target }).toEqual({
          subpath,
          target: {
            import: { types: expect.stringMatching(/\.d\.ts$/), default: expect.any(String) },
            require: { types: expect.stringMatching(/\.d\.cts$/), default: expect.any(String) },
          },
        });
        const conditions = Object.values(target as Record<string, Record<string, string>>);
        const targets = conditions.flatMap((condition) => Object.values(condition));
        expect(targets.filter((file) => !files.has(file.replace(/^\.\//, '')))).toEqual([]);
      }
    });

    it('requires only Node built-ins, sibling files and declared packages from the CommonJS build', async () => {
      const { dependencies = {}, peerDependencies = {} } = await readManifest(ROOT);
      const declared = new Set([...Object.keys(dependencies), ...Object.keys(peerDependencies)]);
      const entries = await readdir(path.join(ROOT, 'dist/cjs'), { recursive: true });
      const undeclared = new Set<string>();
      for (const file of entries.filter((name) => name.endsWith('.cjs'))) {
        const text = await readFile(path.join(ROOT, 'dist/cjs', file), 'utf8');
        for (const [, spec] of text.matchAll(/require\(["']([^"']+)["']\)/g)) {
          if (spec!.startsWith('.') || spec!.startsWith('node:')) continue;
          const name = spec!.startsWith('@')
            ? spec!.split('/').slice(0, 2).join('/')
            : spec!.split('/')[0]!;
          if (!declared.has(name)) undeclared.add(name);
        }
      }
      expect([...undeclared]).toEqual([]);
      const index = await readFile(path.join(ROOT, 'dist/cjs/index.cjs'), 'utf8');
      expect(index).toMatch(/require\(["']@nestjs\/common["']\)|require\(["']\.\/nest\//);
    });

    it('declares peer ranges that hold the NestJS version the repo is developed against', async () => {
      const { peerDependencies } = await readManifest(ROOT);
      const peers = await Promise.all(
        PEERS.map(async (peer) => {
          const { version } = await readManifest(path.join(REPO_MODULES, peer));
          const range = peerDependencies[peer];
          return { peer, version, range, covered: satisfies(version, range) };
        }),
      );
      expect(peers.filter((peer) => !peer.covered)).toEqual([]);
    });
  });

  describe('Nest 12 apps (plain JavaScript, NestJS linked from the repo)', () => {
    it.each<[string, ModuleKind]>([
      ['ESM (the import build)', 'module'],
      ['CommonJS (the require build)', 'commonjs'],
    ])(
      '%s: bootstrap, a cached call, an invalidation',
      async (_label, kind) => {
        const dir = path.join(work, `${kind}-app`);
        await createTinyApp(dir, kind, tarball, REPO_MODULES);

        const result = await runTinyApp(dir);

        expect(result).toEqual({
          moduleSystem: kind,
          loadsBeforeInvalidation: 1,
          loadsAfterInvalidation: 2,
          hitEqualsFirstLoad: true,
          dateSurvived: true,
          stats: expect.objectContaining({
            hits: 1,
            loads: 2,
            singleFlightJoins: 2,
            invalidations: 1,
            size: 1,
          }),
        });
      },
      120_000,
    );
  });

  describe.each(CONSUMER_APPS.map((app) => [app.label, app] as const))(
    'a CommonJS NestJS app: %s',
    (_label, app) => {
      let dir: string;

      beforeAll(async () => {
        dir = path.join(work, `nest-${app.nestMajor}-app`);
        await createConsumerApp(dir, app, tarball);
      }, 300_000);

      it(`installs with ${app.install}, without --legacy-peer-deps, at the majors it declares`, async () => {
        const { peerDependencies } = await readManifest(ROOT);
        const nest = await installedVersion(dir, '@nestjs/core');
        const reflect = await installedVersion(dir, 'reflect-metadata');
        expect({
          nest: Number(nest.split('.')[0]),
          jest: Number((await installedVersion(dir, 'jest')).split('.')[0]),
          peersHold:
            satisfies(nest, peerDependencies['@nestjs/core']) &&
            satisfies(reflect, peerDependencies['reflect-metadata']),
          cborExtract: await installedVersion(dir, 'cbor-extract'),
        }).toEqual({
          nest: app.nestMajor,
          jest: app.jestMajor,
          peersHold: true,
          cborExtract: '2.2.2',
        });
      });

      it('passes its own Jest test (default ts-jest preset): boot, hit/miss, tags, forRootAsync', async () => {
        const result = await runConsumerJest(dir);
        expect(outcome(result)).toEqual({ code: 0 });
        expect(result.stderr).toMatch(/Tests:\s+3 passed, 3 total/);
      }, 120_000);

      it('type-checks against the package declarations with its own tsconfig', async () => {
        expect(outcome(await typecheckConsumer(dir))).toEqual({ code: 0 });
      }, 120_000);

      // The dual-package hazard: import gets the ES module build, require the CommonJS one, and a
      // cached call must work when the module and the decorators come from different copies.
      it('serves cached calls when the module and the decorators come from different builds', async () => {
        const result = await runMixedLoading(dir);
        expect(outcome(result)).toEqual({ code: 0 });
        expect(JSON.parse(result.stdout)).toEqual({
          imported: expect.stringMatching(/\/dist\/index\.js$/),
          required: expect.stringMatching(/[\\/]dist[\\/]cjs[\\/]index\.cjs$/),
          moduleRequiredDecoratorsImported: { loads: 1 },
          moduleImportedDecoratorsRequired: { loads: 1 },
        });
      }, 60_000);
    },
  );
});
