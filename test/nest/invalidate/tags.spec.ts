import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import {
  Cached,
  HydraCache,
  HydraCacheModule,
  InvalidateTags,
  TagSet,
} from '../../../lib/index.js';
import { deferred, type Deferred } from '../../support/deferred.js';
import { compileModule } from '../../support/nest-app.js';

interface Post {
  id: number;
  authorId: number;
  title: string;
}

@Injectable()
class Posts {
  readonly rows = new Map<number, Post>([
    [1, { id: 1, authorId: 10, title: 'first' }],
    [2, { id: 2, authorId: 20, title: 'second' }],
  ]);
  loads = 0;
  /** Holds `rename` open before it writes. */
  gate: Deferred<void> | undefined;
  /** Holds `findOne` open after it has read the row. */
  readGate: Deferred<void> | undefined;

  @Cached({
    key: (id: number) => `post:${id}`,
    tags: (id: number) => [`post:${id}`, 'posts'],
    resultTags: (post: Post) => [`author:${post.authorId}`],
  })
  async findOne(id: number): Promise<Post> {
    this.loads++;
    const row = { ...this.rows.get(id)! };
    if (this.readGate !== undefined) await this.readGate.promise;
    return row;
  }

  @Cached({ key: 'posts:all', tags: 'posts' })
  async findAll(): Promise<Post[]> {
    this.loads++;
    return [...this.rows.values()];
  }

  /** Args form: a function of the arguments, spread like the parameters. */
  @InvalidateTags((id: number, _title: string) => [`post:${id}`, 'posts'])
  async rename(id: number, title: string): Promise<Post> {
    if (this.gate !== undefined) await this.gate.promise;
    const post = { ...this.rows.get(id)!, title };
    this.rows.set(id, post);
    return post;
  }

  /** Fixed form: one string. */
  @InvalidateTags('posts')
  async touchAll(): Promise<void> {}

  /** TagSet form, computed from the arguments. */
  @InvalidateTags((id: number) => TagSet.fromTag('posts').entity('post', id))
  async archive(id: number): Promise<number> {
    this.rows.delete(id);
    return id;
  }

  /** Result form: tags known only from what the method returns. */
  @InvalidateTags({ resultTags: (post: Post) => [`author:${post.authorId}`] })
  async transfer(id: number, authorId: number): Promise<Post> {
    const post = { ...this.rows.get(id)!, authorId };
    this.rows.set(id, post);
    return post;
  }

  /** Both: argument tags and result tags, the result function also receiving the arguments. */
  @InvalidateTags({
    tags: ['posts'],
    resultTags: (created: Post, authorId: number) => [`post:${created.id}`, `author:${authorId}`],
  })
  async create(authorId: number, title: string): Promise<Post> {
    const post = { id: this.rows.size + 1, authorId, title };
    this.rows.set(post.id, post);
    return post;
  }
}

describe('@InvalidateTags', () => {
  let moduleRef: TestingModule;
  let posts: Posts;
  let cache: HydraCache;

  beforeEach(async () => {
    moduleRef = await compileModule({
      imports: [HydraCacheModule.forRoot()],
      providers: [Posts],
    });
    posts = moduleRef.get(Posts);
    cache = moduleRef.get(HydraCache);
  });

  afterEach(async () => {
    await moduleRef.close();
  });

  it('invalidates tags computed from the arguments after the method succeeds', async () => {
    await posts.findOne(1);
    await posts.findOne(2);
    await posts.findAll();
    expect(posts.loads).toBe(3);

    expect(await posts.rename(1, 'renamed')).toEqual({ id: 1, authorId: 10, title: 'renamed' });
    expect(await cache.containsKey('post:1')).toBe(false);
    expect(await cache.containsKey('posts:all')).toBe(false);
    expect(await posts.findOne(1)).toMatchObject({ title: 'renamed' });
    expect(posts.loads).toBe(4);
    // post:2 carries the "posts" tag too, so it went as well.
    expect(await cache.containsKey('post:2')).toBe(false);
  });

  it('accepts a fixed tag', async () => {
    await posts.findAll();
    await posts.touchAll();
    expect(await cache.containsKey('posts:all')).toBe(false);
  });

  it('accepts a TagSet', async () => {
    await posts.findOne(2);
    await posts.archive(1);
    expect(await cache.containsKey('post:2')).toBe(false);
  });

  it('invalidates tags computed from the result ({ resultTags })', async () => {
    await posts.findOne(1);
    await posts.findOne(2);
    await posts.transfer(1, 20);
    // Post 2 is tagged author:20 (from its result); post 1 was author:10 and stays cached.
    expect(await cache.containsKey('post:2')).toBe(false);
    expect(await cache.containsKey('post:1')).toBe(true);
  });

  it('combines argument tags with result tags, the result function receiving the arguments', async () => {
    await cache.put('post:3', 'stale placeholder', { tags: ['post:3'] });
    await cache.put('by-author-30', 'stale list', { tags: ['author:30'] });
    await posts.findAll();

    expect(await posts.create(30, 'third')).toEqual({ id: 3, authorId: 30, title: 'third' });
    expect(cache.stats().size).toBe(0);
  });

  it('invalidates only once the method has finished', async () => {
    await posts.findOne(1);
    posts.gate = deferred<void>();
    const renaming = posts.rename(1, 'later');
    expect(await cache.containsKey('post:1')).toBe(true);
    posts.gate.resolve();
    await renaming;
    expect(await cache.containsKey('post:1')).toBe(false);
  });

  it('keeps a read that started before the update from storing the old value', async () => {
    posts.readGate = deferred<void>();
    const reading = posts.findOne(1);
    await posts.rename(1, 'new');
    posts.readGate.resolve();

    // The read had fetched the old row: its caller gets it, but it is not cached.
    expect(await reading).toMatchObject({ title: 'first' });
    expect(await cache.containsKey('post:1')).toBe(false);
    posts.readGate = undefined;
    expect(await posts.findOne(1)).toMatchObject({ title: 'new' });
  });
});
