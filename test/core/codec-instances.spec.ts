import { CacheError, CborCodec, HydraCache } from '../../lib/index.js';
import { copiesThroughCache } from '../support/through-cache.js';

class Address {
  constructor(
    public city: string,
    public zip: string,
  ) {}

  get label(): string {
    return `${this.zip} ${this.city}`;
  }
}

class User {
  roles: string[] = ['reader'];

  constructor(
    public id: number,
    public name: string,
    public address?: Address,
  ) {}

  greet(): string {
    return `hi ${this.name}`;
  }
}

class Admin extends User {
  override greet(): string {
    return `hello admin ${this.name}`;
  }
}

const ada = (): User => new User(1, 'Ada', new Address('London', 'N1'));

describe('class instances through the default codec', () => {
  it('come back as instances, with methods and getters, for every reader', async () => {
    const copies = await copiesThroughCache(ada);
    expect(new Set(copies).size).toBe(copies.length);
    for (const copy of copies as User[]) {
      expect(copy).toBeInstanceOf(User);
      expect(copy.greet()).toBe('hi Ada');
      expect(copy.address).toBeInstanceOf(Address);
      expect(copy.address!.label).toBe('N1 London');
      expect(copy).toEqual(ada());
    }
  });

  it('keep subclasses and nested instances in arrays, Maps and Sets', async () => {
    const make = () => ({
      list: [ada(), new Admin(2, 'Grace')],
      byId: new Map<unknown, unknown>([
        [1, ada()],
        [new Address('Paris', '75'), 'key'],
      ]),
      members: new Set([new Admin(3, 'Edsger')]),
    });
    for (const copy of (await copiesThroughCache(make)) as ReturnType<typeof make>[]) {
      expect(copy.list[0]).toBeInstanceOf(User);
      expect(copy.list[1]).toBeInstanceOf(Admin);
      expect(copy.list[1]!.greet()).toBe('hello admin Grace');
      expect(copy.byId.get(1)).toBeInstanceOf(User);
      const [address] = [...copy.byId.keys()].filter((key) => key instanceof Address);
      expect((address as Address).label).toBe('75 Paris');
      expect([...copy.members][0]).toBeInstanceOf(Admin);
      expect(copy).toEqual(make());
    }
  });

  it('are independent copies: changing one leaves the cache and other readers alone', async () => {
    const cache = HydraCache.local().build();
    await cache.put('u', ada());
    const first = (await cache.get<User>('u'))!;
    first.address!.city = 'Paris';
    first.roles.push('admin');
    expect(await cache.get('u')).toEqual(ada());
  });

  it('keep a null prototype', async () => {
    const make = () => Object.assign(Object.create(null) as object, { a: 1, nested: { b: 2 } });
    for (const copy of await copiesThroughCache(make)) {
      expect(Object.getPrototypeOf(copy)).toBeNull();
      expect({ ...(copy as object) }).toEqual({ a: 1, nested: { b: 2 } });
    }
  });

  it('come back through a TypedCache', async () => {
    const users = HydraCache.local().build().typed<User>('users');
    await users.put('1', ada());
    expect(await users.get('1')).toBeInstanceOf(User);
    expect(await users.getOrLoad('2', undefined, async () => new Admin(2, 'Grace'))).toBeInstanceOf(
      Admin,
    );
    expect(await users.get('2')).toBeInstanceOf(Admin);
  });

  it('keep two classes of one name apart (prototypes are remembered, not named)', async () => {
    const makeClass = () =>
      class Thing {
        constructor(public n: number) {}
      };
    const [A, B] = [makeClass(), makeClass()];
    const cache = HydraCache.local().build();
    await cache.put('a', new A(1));
    await cache.put('b', new B(2));
    expect(await cache.get('a')).toBeInstanceOf(A);
    expect(await cache.get('b')).toBeInstanceOf(B);
    expect(await cache.get('b')).not.toBeInstanceOf(A);
  });

  it('do not run the constructor on a read', async () => {
    let constructed = 0;
    class Counted {
      n = ++constructed;
    }
    const cache = HydraCache.local().build();
    await cache.put('c', new Counted());
    expect(await cache.get('c')).toEqual(expect.objectContaining({ n: 1 }));
    expect(constructed).toBe(1);
  });

  it('lose #private fields: the copy has the prototype, and reading one throws', async () => {
    class Account {
      #secret = 'hidden';
      id = 7;
      secret(): string {
        return this.#secret;
      }
    }
    const cache = HydraCache.local().build();
    await cache.put('a', new Account());
    const copy = (await cache.get<Account>('a'))!;
    expect(copy).toBeInstanceOf(Account);
    expect(copy.id).toBe(7);
    expect(() => copy.secret()).toThrow(TypeError);
  });
});

describe('the prototype registry bound', () => {
  it('refuses one prototype more than maxPrototypes with E_ENCODE; known ones keep working', async () => {
    const codec = new CborCodec({ sharedStructures: true, maxPrototypes: 2 });
    const cache = HydraCache.local().codec(codec).build();
    const classes = [0, 1, 2].map(
      () =>
        class Dynamic {
          n = 1;
        },
    );
    await cache.put('0', new classes[0]!());
    await cache.put('1', new classes[1]!());
    const error = await cache.put('2', new classes[2]!()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CacheError);
    expect((error as CacheError).code).toBe('E_ENCODE');
    expect((error as CacheError).message).toMatch(/2 distinct prototypes.*Dynamic/);
    await cache.put('0b', new classes[0]!());
    expect(await cache.get('0b')).toBeInstanceOf(classes[0]!);
    expect(await cache.get('1')).toBeInstanceOf(classes[1]!);
    expect(await cache.containsKey('2')).toBe(false);
    await cache.put('plain', { n: 1 });
    expect(await cache.get('plain')).toEqual({ n: 1 });
  });

  it('rejects a bad maxPrototypes with E_INVALID_OPTION', () => {
    expect(() => new CborCodec({ maxPrototypes: -1 })).toThrow(
      expect.objectContaining({ code: 'E_INVALID_OPTION' }),
    );
  });

  it('is not used by a self-contained codec, whose instances come back as plain objects', () => {
    const codec = new CborCodec();
    const copy = codec.decode(codec.encode(ada()));
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(copy).toEqual({
      roles: ['reader'],
      id: 1,
      name: 'Ada',
      address: { city: 'London', zip: 'N1' },
    });
  });
});

describe('objects a copy cannot reproduce are refused with E_ENCODE', () => {
  class Registry extends Map<string, number> {}
  class Tags extends Set<string> {}
  class Collection extends Array<number> {}
  class Moment extends Date {}
  class Pattern extends RegExp {}
  class Bytes extends Uint8Array {}

  it.each([
    ['a Promise', () => ({ pending: Promise.resolve(1) })],
    ['a WeakMap', () => ({ weak: new WeakMap() })],
    ['a WeakSet', () => new WeakSet()],
    ['a WeakRef', () => [new WeakRef({})]],
    ['a DataView', () => new DataView(new ArrayBuffer(2))],
    ['a boxed primitive', () => ({ n: Object(1) as unknown })],
    ['a generator', () => (function* () {})()],
    ['a class extending Map', () => new Registry([['a', 1]])],
    ['a class extending Set', () => new Tags(['a'])],
    ['a class extending Array', () => Collection.from([1, 2])],
    ['a class extending Date', () => new Moment(0)],
    ['a class extending RegExp', () => new Pattern('a')],
    ['a class extending Uint8Array', () => new Bytes(2)],
  ])('%s', async (_label, make) => {
    const cache = HydraCache.local().build();
    const error = await cache.put('k', make()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CacheError);
    expect((error as CacheError).code).toBe('E_ENCODE');
    expect((error as CacheError).message).toMatch(/cannot be copied faithfully/);
    expect(await cache.containsKey('k')).toBe(false);
  });
});
