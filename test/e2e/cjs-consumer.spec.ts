import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './packaging/built-dist.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * What the consumer does, as a CommonJS script: require the package, then use the cache and a
 * decorator applied by hand (plain JavaScript has no decorator syntax).
 */
const consumer = `
const m = require('@hydracache/nestjs');
(async () => {
  const cache = new m.HydraCache({ maxCapacity: 10 });
  await cache.put('k', { n: 1 });
  class Service {
    constructor() { this.calls = 0; }
    async find(id) { this.calls++; return { id }; }
  }
  const descriptor = Object.getOwnPropertyDescriptor(Service.prototype, 'find');
  Object.defineProperty(
    Service.prototype,
    'find',
    m.Cached({ key: (id) => 'find:' + id })(Service.prototype, 'find', descriptor),
  );
  const service = m.attachHydraCache(new Service(), cache);
  await service.find(1);
  await service.find(1);
  process.stdout.write(JSON.stringify({
    resolved: require.resolve('@hydracache/nestjs'),
    types: {
      HydraCache: typeof m.HydraCache,
      Cached: typeof m.Cached,
      HydraCacheModule: typeof m.HydraCacheModule,
      InvalidateTags: typeof m.InvalidateTags,
      InvalidateKeys: typeof m.InvalidateKeys,
      CacheError: typeof m.CacheError,
    },
    value: await cache.get('k'),
    calls: service.calls,
    forRoot: typeof m.HydraCacheModule.forRoot({}).module,
  }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

describe('a CommonJS consumer', () => {
  let dir: string;

  beforeAll(() => {
    ensureBuilt(root);
    dir = mkdtempSync(path.join(tmpdir(), 'hydracache-cjs-'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'commonjs' }));
    // The package by its name, as installed: the link resolves to the repo, whose node_modules
    // hold the peers.
    mkdirSync(path.join(dir, 'node_modules', '@hydracache'), { recursive: true });
    symlinkSync(root, path.join(dir, 'node_modules', '@hydracache', 'nestjs'), 'junction');
  }, 180_000);

  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('require() by package name gets the CommonJS build and can use it', () => {
    const env = { ...process.env };
    delete env.NODE_OPTIONS; // a plain consumer, without Jest's VM-modules flag
    const result = spawnSync(process.execPath, ['-e', consumer], {
      cwd: dir,
      env,
      encoding: 'utf8',
    });
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.status).toBe(0);

    const output = JSON.parse(result.stdout) as {
      resolved: string;
      types: Record<string, string>;
      value: unknown;
      calls: number;
      forRoot: string;
    };
    expect(output.resolved).toBe(path.join(root, 'dist', 'cjs', 'index.cjs'));
    expect(output.types).toEqual({
      HydraCache: 'function',
      Cached: 'function',
      HydraCacheModule: 'function',
      InvalidateTags: 'function',
      InvalidateKeys: 'function',
      CacheError: 'function',
    });
    expect(output.value).toEqual({ n: 1 });
    expect(output.calls).toBe(1);
    expect(output.forRoot).toBe('function');
  });
});
