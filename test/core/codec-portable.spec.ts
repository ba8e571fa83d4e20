import { CborCodec, HydraCache } from '../../lib/index.js';
import { MemoryTier } from '../support/memory-tier.js';

class User {
  constructor(
    readonly id: number,
    readonly name: string,
  ) {}
  greet(): string {
    return `hi ${this.name}`;
  }
}
class Admin extends User {}
class Order {
  constructor(readonly total: number) {}
}
class Unlisted {
  x = 1;
}
class NotFound extends Error {}

/** Two codecs built alike stand for two processes: neither has seen what the other encoded. */
const pair = (): [CborCodec, CborCodec] => [
  new CborCodec({ classes: [User, Order] }),
  new CborCodec({ classes: [User, Order] }),
];

describe('CborCodec with classes: instances round-trip across processes', () => {
  it('an instance encoded by one codec decodes as that class in another', () => {
    const [a, b] = pair();
    a.encode(new Order(1)); // a sees Order first: ids must not depend on the order of sight
    const user = b.decode(a.encode({ u: new User(1, 'Ada'), o: new Order(2) })) as {
      u: User;
      o: Order;
    };
    expect(user.u).toBeInstanceOf(User);
    expect(user.u.greet()).toBe('hi Ada');
    expect(user.o).toBeInstanceOf(Order);
  });

  it('an unlisted class comes back as its nearest listed ancestor, errors keep their class', () => {
    const [a, b] = pair();
    const admin = b.decode(a.encode(new Admin(2, 'Bob')));
    expect(Object.getPrototypeOf(admin)).toBe(User.prototype);
    expect(Object.getPrototypeOf(b.decode(a.encode(new Unlisted())))).toBe(Object.prototype);
    const error = b.decode(a.encode(new TypeError('bad'))) as Error;
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('bad');
    expect(b.decode(a.encode(new NotFound('x')))).toBeInstanceOf(Error);
    expect(Object.is(b.decode(a.encode(-0)), -0)).toBe(true);
  });

  it('is portable, so a cache with a second tier takes it; process-local exact codecs are refused', async () => {
    expect(new CborCodec({ classes: [User] }).portable).toBe(true);
    expect(new CborCodec().portable).toBe(true);
    expect(new CborCodec({ exact: true }).portable).toBe(false);
    expect(() => new CborCodec({ classes: [1] as never })).toThrow(/classes/);
    const tier = new MemoryTier();
    const a = new HydraCache({ l2: tier, codec: new CborCodec({ classes: [User] }) });
    const b = new HydraCache({ l2: tier, codec: new CborCodec({ classes: [User] }) });
    await a.getOrLoad('u', {}, () => new User(1, 'Ada'));
    const read = await b.getOrLoad('u', {}, () => new User(2, 'other'));
    expect(read).toBeInstanceOf(User);
    expect(read.greet()).toBe('hi Ada');
    expect(() => new HydraCache({ l2: tier, codec: new CborCodec({ exact: true }) })).toThrow(
      /classes/,
    );
  });
});
