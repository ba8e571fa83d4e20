import { SYSTEMS } from './systems.js';
const med = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
const N = 3000;
const value = (i) => ({ id: i, name: `user ${i}`, roles: ['a', 'b'], score: i * 1.5 });
for (let round = 0; round < 2; round++) for (const sys of ['hydracache', 'bentocache']) {
  const prefix = 'p5-' + Math.random().toString(36).slice(2);
  const w = await SYSTEMS[sys]({ url: 'redis://127.0.0.1:6379', prefix });
  for (let i = 0; i < N; i++) await w.load('k' + i, async () => value(i));
  const r = await SYSTEMS[sys]({ url: 'redis://127.0.0.1:6379', prefix });
  const lat = [];
  for (let i = 0; i < N; i++) { const s = process.hrtime.bigint(); await r.load('k' + i, async () => value(i)); lat.push(Number(process.hrtime.bigint() - s) / 1000); }
  console.log(round, sys, med(lat).toFixed(1));
  await w.close(); await r.close();
}
process.exit(0);
