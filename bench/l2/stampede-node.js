/**
 * One replica of the stampede run: builds a system, waits for `go`, then fires CALLS concurrent
 * loads of one cold key whose loader takes LOADER_MS; reports how many times its loader ran.
 * argv: system url prefix key calls loaderMs lease(0|1)
 */
import { SYSTEMS } from './systems.js';

const [system, url, prefix, key, calls, loaderMs, lease] = process.argv.slice(2);
const cache = await SYSTEMS[system]({
  url,
  prefix,
  lease: lease === '1' ? { ttl: 5_000, wait: 5_000 } : undefined,
});
let runs = 0;
const loader = async () => {
  runs++;
  await new Promise((resolve) => setTimeout(resolve, Number(loaderMs)));
  return { id: key, payload: 'x'.repeat(200) };
};
process.send({ ready: true });
process.on('message', async () => {
  await Promise.all(Array.from({ length: Number(calls) }, () => cache.load(key, loader)));
  process.send({ runs });
  await cache.close();
  process.exit(0);
});
