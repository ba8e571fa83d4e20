import { SYSTEMS } from './systems.js';
const K = Number(process.env.K ?? 2000);
const value = (i) => ({ id: i, name: `user ${i}`, roles: ['a', 'b'], score: i * 1.5 });
async function hydraFrom(dir) {
  const { HydraCache } = await import(dir + '/index.js');
  const { redisL2 } = await import(dir + '/redis/index.js');
  return async ({ url, prefix }) => {
    const tier = redisL2({ url, prefix, timeout: 1_000 });
    const cache = new HydraCache({ defaultTtl: 3600000, maxCapacity: 100_000, l2: tier });
    while (tier.client.status !== 'ready') await new Promise((r) => setTimeout(r, 5));
    return { load: (key, loader) => cache.getOrLoad(key, {}, loader), close: () => cache.close() };
  };
}
const makers = { base: await hydraFrom('/tmp/l2base/dist'), new: await hydraFrom('../../dist'), bento: SYSTEMS.bentocache, cm: SYSTEMS.cacheManager };
const variants = (process.env.V ?? 'base:script,new:script,new:pipeline,new:multi,bento:,cm:').split(',').map((v) => v.split(':'));
const res = {}; const run = [];
for (const [sys, mode] of variants) {
  const prefix = 'cmp' + Math.random().toString(36).slice(2);
  globalThis.hcMode = mode || undefined;
  const w = await makers[sys]({ url: 'redis://127.0.0.1:6379', prefix });
  for (let i = 0; i < K; i++) await w.load('k' + i, async () => value(i));
  const r = await makers[sys]({ url: 'redis://127.0.0.1:6379', prefix });
  run.push({ name: sys + ':' + mode, mode, w, r }); res[sys + ':' + mode] = [];
}
for (let i = 0; i < K; i++) for (const v of run) {
  globalThis.hcMode = v.mode || undefined;
  const t = process.hrtime.bigint(); await v.r.load('k' + i, async () => value(i)); res[v.name].push(Number(process.hrtime.bigint() - t) / 1000);
}
for (const [n, xs] of Object.entries(res)) { xs.sort((x, y) => x - y); console.log(n.padEnd(22), xs[xs.length >> 1].toFixed(1)); }
for (const v of run) { await v.w.close(); await v.r.close(); }
process.exit(0);
