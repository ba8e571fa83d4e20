import { CacheError, CacheKey, CacheKeyBuilder, escapeSegment } from '../../lib/index.js';

describe('CacheKeyBuilder', () => {
  it('builds tenant(7).entity("user", 42) as tenant:7:user:42', () => {
    const key = new CacheKeyBuilder().tenant(7).entity('user', 42);
    expect(key.buildString()).toBe('tenant:7:user:42');
  });

  it('escapes ":" and "%" inside segments', () => {
    const key = new CacheKeyBuilder().segment('tenant:7').segment('percent%value');
    expect(key.buildString()).toBe('tenant%3A7:percent%25value');
  });

  it('escapes an already-escaped sequence again, so it cannot be confused with an escape', () => {
    expect(new CacheKeyBuilder().segment('a%3Ab').buildString()).toBe('a%253Ab');
    expect(new CacheKeyBuilder().segment('%%::').buildString()).toBe('%25%25%3A%3A');
  });

  it('changes nothing but "%" and ":"', () => {
    const raw = 'Ünïcødé 🙂 /path?q=1&r=2#frag+plus %20 ~!@$^*()[]{}|\\"\'';
    const expected = raw.replaceAll('%', '%25');
    expect(new CacheKeyBuilder().segment(raw).buildString()).toBe(expected);
    expect(escapeSegment('plain-text_123')).toBe('plain-text_123');
  });

  it('uses upper-case hex in escapes', () => {
    expect(escapeSegment(':')).toBe('%3A');
    expect(escapeSegment(':')).not.toBe('%3a');
  });

  it('keeps different splits of the same text distinct', () => {
    const a = new CacheKeyBuilder().segments(['a:b', 'c']).buildString();
    const b = new CacheKeyBuilder().segments(['a', 'b:c']).buildString();
    const c = new CacheKeyBuilder().segments(['a', 'b', 'c']).buildString();
    expect(new Set([a, b, c]).size).toBe(3);
    expect(c).toBe('a:b:c');
  });

  it('prints numbers, bigints and booleans with String()', () => {
    const key = new CacheKeyBuilder().segments([1.5, -3, 12345678901234567890n, true, false]);
    expect(key.buildString()).toBe('1.5:-3:12345678901234567890:true:false');
  });

  it('keeps empty segments', () => {
    expect(new CacheKeyBuilder().segment('a').segment('').segment('b').buildString()).toBe('a::b');
  });

  it('fromSegment starts a builder with one escaped segment', () => {
    expect(CacheKeyBuilder.fromSegment('users').entity('id', 1).buildString()).toBe('users:id:1');
    expect(CacheKeyBuilder.fromSegment('a:b').buildString()).toBe('a%3Ab');
  });

  it('segments accepts any iterable', () => {
    function* gen(): Generator<string | number> {
      yield 'x';
      yield 2;
    }
    expect(new CacheKeyBuilder().segments(gen()).buildString()).toBe('x:2');
    expect(new CacheKeyBuilder().segments(new Set(['s:1'])).buildString()).toBe('s%3A1');
    expect(new CacheKeyBuilder().segment('a').segments([]).buildString()).toBe('a');
  });

  it('entity and tenant escape their parts', () => {
    expect(new CacheKeyBuilder().entity('a:b', 'c%d').buildString()).toBe('a%3Ab:c%25d');
    expect(new CacheKeyBuilder().tenant('acme:eu').buildString()).toBe('tenant:acme%3Aeu');
  });

  it('isEmpty is true only before any segment', () => {
    expect(new CacheKeyBuilder().isEmpty()).toBe(true);
    expect(new CacheKeyBuilder().segments([]).isEmpty()).toBe(true);
    expect(new CacheKeyBuilder().segment('').isEmpty()).toBe(false);
    expect(new CacheKeyBuilder().tenant(1).isEmpty()).toBe(false);
    expect(new CacheKeyBuilder().buildString()).toBe('');
  });

  it('is immutable: deriving keys never changes the base builder', () => {
    const base = new CacheKeyBuilder().tenant(7);
    const user = base.entity('user', 1);
    const post = base.entity('post', 2);
    const many = base.segments(['x', 'y']);
    expect(base.buildString()).toBe('tenant:7');
    expect(user.buildString()).toBe('tenant:7:user:1');
    expect(post.buildString()).toBe('tenant:7:post:2');
    expect(many.buildString()).toBe('tenant:7:x:y');
    expect(user).not.toBe(base);
  });

  it('build() returns a CacheKey whose toString() is the key', () => {
    const key = new CacheKeyBuilder().entity('user', 42).build();
    expect(key).toBeInstanceOf(CacheKey);
    expect(key.toString()).toBe('user:42');
    expect(String(key)).toBe('user:42');
    expect(`${key}`).toBe('user:42');
    expect(key.value).toBe('user:42');
  });

  it('interpolates a builder as its key', () => {
    expect(`${new CacheKeyBuilder().entity('user', 42)}`).toBe('user:42');
  });

  it.each([
    ['an object', {}],
    ['null', null],
    ['undefined', undefined],
    ['a symbol', Symbol('s')],
    ['an array', ['a']],
  ])('rejects %s as a segment with E_INVALID_OPTION', (_label, value) => {
    const attempt = (): unknown => new CacheKeyBuilder().segment(value as string);
    expect(attempt).toThrow(CacheError);
    expect(attempt).toThrow(/segment/);
    try {
      attempt();
    } catch (error) {
      expect((error as CacheError).code).toBe('E_INVALID_OPTION');
    }
    expect(() => new CacheKeyBuilder().segments(['ok', value as string])).toThrow(CacheError);
    expect(() => new CacheKeyBuilder().entity('user', value as string)).toThrow(CacheError);
  });
});
