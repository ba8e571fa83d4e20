/**
 * A script whose only pending work is a cache call waiting on a timeout: the loader never settles
 * and holds no handle. It must print the timeout's result before the process exits.
 *   node timeout-child.mjs <dist dir> <scenario>
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [dist, scenario] = process.argv.slice(2);
const { HydraCache } = await import(pathToFileURL(path.join(dist, 'index.js')).href);
const never = () => new Promise(() => {});
const cache = new HydraCache();
const print = (line) => process.stdout.write(`${line}\n`);
const code = (error) => error.code ?? String(error);

switch (scenario) {
  case 'hardTimeout':
    cache.getOrLoad('k', { hardTimeout: 50 }, never).then(print, (e) => print(code(e)));
    break;
  case 'joinedBackgroundRefresh': {
    // A background refresh nobody waits on, with a hard timeout; then its entry is evicted and a
    // caller that misses joins it: from then on a caller waits on that timeout.
    const small = HydraCache.local().maxCapacity(1).build();
    const options = { ttl: 1, grace: 60_000, timeout: 0, hardTimeout: 50 };
    await small.getOrLoad('k', options, () => 'v1');
    await new Promise((resolve) => setTimeout(resolve, 5));
    print((await small.getOrLoadWithStatus('k', options, never)).status);
    await small.put('other', 1);
    small.getOrLoad('k', options, never).then(print, (e) => print(code(e)));
    break;
  }
  case 'softTimeout': {
    await cache.getOrLoad('k', { ttl: 1, grace: 60_000 }, () => 'v1');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const options = { ttl: 1, grace: 60_000, timeout: 50 };
    cache.getOrLoadWithStatus('k', options, never).then((r) => print(`${r.status} ${r.value}`));
    break;
  }
  case 'closed':
    // After close() nothing keeps the process alive, not even a caller still waiting.
    cache.getOrLoad('k', { hardTimeout: 3_600_000 }, never).then(print, (e) => print(code(e)));
    await cache.close();
    print('closed');
    break;
  default:
    throw new Error(`unknown scenario ${scenario}`);
}
