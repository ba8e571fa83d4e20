import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { CborCodec, HydraCache } from '../../../lib/index.js';
import { MemoryTier } from '../../support/memory-tier.js';

afterEach(() => {
  jest.restoreAllMocks();
});

describe('a second-tier hit is decoded once', () => {
  it('the value decoded to check the entry is the first caller’s: one decode for one caller', async () => {
    const tier = new MemoryTier();
    const writer = new HydraCache({ l2: tier });
    await writer.getOrLoad('k', {}, () => ({ n: 1, list: [1, 2] }));
    const reader = new HydraCache({ l2: tier });
    const unpack = jest.spyOn(CborCodec.prototype, 'unpack');
    const loader = jest.fn(() => ({ n: 2, list: [] as number[] }));
    expect(await reader.getOrLoad('k', {}, loader)).toEqual({ n: 1, list: [1, 2] });
    expect(loader).not.toHaveBeenCalled();
    expect(unpack).toHaveBeenCalledTimes(1);
  });

  it('callers sharing the hit still each get their own copy, and L1 keeps the bytes', async () => {
    const tier = new MemoryTier();
    const writer = new HydraCache({ l2: tier });
    await writer.getOrLoad('k', {}, () => ({ n: 1, list: [1, 2] }));
    const reader = new HydraCache({ l2: tier });
    const values = (await Promise.all(
      [1, 2, 3].map(() => reader.getOrLoad('k', {}, () => ({ n: 2, list: [] as number[] }))),
    )) as { n: number; list: number[] }[];
    expect(new Set(values).size).toBe(3);
    values[0]!.list.push(99);
    values[0]!.n = 7;
    expect(values[1]).toEqual({ n: 1, list: [1, 2] });
    expect(values[2]).toEqual({ n: 1, list: [1, 2] });
    expect(await reader.get('k')).toEqual({ n: 1, list: [1, 2] });
  });

  it('an entry that does not decode here is a miss: the loader runs', async () => {
    const tier = new MemoryTier();
    const writer = new HydraCache({ l2: tier });
    await writer.getOrLoad('k', {}, () => ({ n: 1 }));
    const reader = new HydraCache({ l2: tier });
    jest.spyOn(CborCodec.prototype, 'unpack').mockImplementationOnce(() => {
      throw new Error('not ours');
    });
    expect(await reader.getOrLoad('k', {}, () => ({ n: 2 }))).toEqual({ n: 2 });
  });
});
