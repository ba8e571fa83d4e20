import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const distEntry = path.join(root, 'dist', 'index.js');

/** Newest modification time of the TypeScript sources under `dir`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** dist/ as `npm run build` leaves it: rebuilt here when missing or older than lib/. */
function ensureBuilt(): void {
  const fresh =
    existsSync(distEntry) && statSync(distEntry).mtimeMs >= newestSource(path.join(root, 'lib'));
  if (fresh) return;
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'pipe',
    },
  );
}

/**
 * What the consumer does, as a CommonJS script: require the package, then use the cache and a
 * decorator applied by hand (plain JavaScript has no decorator syntax).
 */
const consumer = `
const m = require(process.argv[1]);
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
    ensureBuilt();
    dir = mkdtempSync(path.join(tmpdir(), 'hydracache-cjs-'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'commonjs' }));
  }, 180_000);

  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('can require() the built package (Node >= 20.19 loads ESM through require)', () => {
    const env = { ...process.env };
    delete env.NODE_OPTIONS; // a plain consumer, without Jest's VM-modules flag
    const result = spawnSync(process.execPath, ['-e', consumer, distEntry], {
      cwd: dir,
      env,
      encoding: 'utf8',
    });
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.status).toBe(0);

    const output = JSON.parse(result.stdout) as {
      types: Record<string, string>;
      value: unknown;
      calls: number;
      forRoot: string;
    };
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
