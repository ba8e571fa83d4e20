import 'reflect-metadata';
import {
  attachHydraCache,
  Cached,
  HydraCache,
  InvalidateKeys,
  InvalidateTags,
} from '../../../lib/index.js';

const thrownByKeyFn = new Error('key function threw');
const thrownByTagsFn = new Error('tags function threw');
const thrownByResultTags = new Error('resultTags threw');
const thrownByUnless = new Error('unless threw');

class Service {
  @Cached()
  async defaultKey(_arg: unknown): Promise<number> {
    return 1;
  }

  @Cached({
    key: (): string => {
      throw thrownByKeyFn;
    },
  })
  async keyFnThrows(): Promise<number> {
    return 1;
  }

  @Cached({ key: () => 42 as unknown as string })
  async keyFnReturnsNumber(): Promise<number> {
    return 1;
  }

  @Cached({
    key: 'tags-fn-throws',
    tags: (): string[] => {
      throw thrownByTagsFn;
    },
  })
  async tagsFnThrows(): Promise<number> {
    return 1;
  }

  @Cached({ key: 'tags-fn-bad', tags: () => [1 as unknown as string] })
  async tagsFnReturnsBadTags(): Promise<number> {
    return 1;
  }

  @Cached({
    key: 'result-tags-throws',
    resultTags: (): string[] => {
      throw thrownByResultTags;
    },
  })
  async resultTagsThrows(): Promise<number> {
    return 1;
  }

  @Cached({
    key: 'unless-throws',
    unless: (): boolean => {
      throw thrownByUnless;
    },
  })
  async unlessThrows(): Promise<number> {
    return 1;
  }

  @Cached({ key: 'not-encodable' })
  async returnsFunction(): Promise<unknown> {
    return { run: () => 1 };
  }

  @InvalidateTags((): string[] => {
    throw thrownByTagsFn;
  })
  async invalidateTagsFnThrows(): Promise<void> {}

  @InvalidateKeys(() => 7 as unknown as string)
  async invalidateKeysBad(): Promise<void> {}
}

describe('decorated methods report every failure as a rejection, never a synchronous throw', () => {
  const cases: [string, (s: Service) => Promise<unknown>, object][] = [
    ['no cache (E_NO_CACHE)', (s) => s.defaultKey(1), { code: 'E_NO_CACHE' }],
    ['unkeyable argument', (s) => s.defaultKey(() => 1), { code: 'E_UNKEYABLE_ARGUMENT' }],
    ['key function throws', (s) => s.keyFnThrows(), thrownByKeyFn],
    ['key function returns a non-key', (s) => s.keyFnReturnsNumber(), { code: 'E_INVALID_KEY' }],
    ['tags function throws', (s) => s.tagsFnThrows(), thrownByTagsFn],
    [
      'tags function returns bad tags',
      (s) => s.tagsFnReturnsBadTags(),
      { code: 'E_INVALID_OPTION' },
    ],
    ['resultTags throws', (s) => s.resultTagsThrows(), thrownByResultTags],
    ['unless throws', (s) => s.unlessThrows(), thrownByUnless],
    ['result cannot be encoded', (s) => s.returnsFunction(), { code: 'E_ENCODE' }],
    ['@InvalidateTags function throws', (s) => s.invalidateTagsFnThrows(), thrownByTagsFn],
    ['@InvalidateKeys bad key', (s) => s.invalidateKeysBad(), { code: 'E_INVALID_KEY' }],
  ];

  it.each(cases)('%s', async (label, call, expected) => {
    const service = new Service();
    if (!label.startsWith('no cache')) attachHydraCache(service, new HydraCache());

    let result: Promise<unknown> | undefined;
    // The call itself must not throw: the failure arrives through the returned promise.
    expect(() => {
      result = call(service);
    }).not.toThrow();
    expect(result).toBeInstanceOf(Promise);

    if (expected instanceof Error) {
      await expect(result).rejects.toBe(expected);
    } else {
      await expect(result).rejects.toMatchObject(expected);
    }
  });
});
