import { TagIndex, type Tagged } from '../../lib/core/tag-index.js';

class Item implements Tagged {
  tagA: string | undefined;
  tagB: string | undefined;
  moreTags: string[] | undefined;

  constructor(
    readonly name: string,
    tags: string[],
  ) {
    this.tagA = tags[0];
    this.tagB = tags[1];
    this.moreTags = tags.length > 2 ? tags.slice(2) : undefined;
  }
}

describe('TagIndex', () => {
  it('takes every item of a tag, whichever field holds it, and drops the tag', () => {
    const index = new TagIndex<Item>();
    const one = new Item('one', ['users']);
    const two = new Item('two', ['a', 'users']);
    const three = new Item('three', ['a', 'b', 'users']);
    for (const item of [one, two, three]) index.add(item);
    expect(new Set(index.take('users'))).toEqual(new Set([one, two, three]));
    expect([...index.take('users')]).toEqual([]);
    expect([...index.entriesOf('a')].map((i) => i.name).sort()).toEqual(['three', 'two']);
  });

  it('removes an item from each of its tags, and drops tags left empty', () => {
    const index = new TagIndex<Item>();
    const one = new Item('one', ['x', 'y', 'z']);
    const two = new Item('two', ['x']);
    index.add(one);
    index.add(two);
    expect(index.tagCount).toBe(3);
    index.remove(one);
    expect(index.tagCount).toBe(1);
    expect([...index.entriesOf('x')]).toEqual([two]);
    index.remove(two);
    expect(index.tagCount).toBe(0);
  });

  it('gives every item of a tag one shared string for it', () => {
    const index = new TagIndex<Item>();
    const first = new Item('first', ['users']);
    const second = new Item('second', [['u', 'sers'].join('')]);
    index.add(first);
    index.add(second);
    expect(second.tagA).toBe(first.tagA);
  });

  it('counts a tag repeated on one item once, and clear empties it', () => {
    const index = new TagIndex<Item>();
    const item = new Item('one', ['t', 't']);
    index.add(item);
    expect([...index.entriesOf('t')]).toEqual([item]);
    index.clear();
    expect(index.tagCount).toBe(0);
  });
});
