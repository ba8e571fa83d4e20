import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { Cached, HydraCache, HydraCacheModule, TagSet } from '../../../lib/index.js';
import { deferred, type Deferred } from '../../support/deferred.js';
import { compileModule } from '../../support/nest-app.js';

@Injectable()
class Articles {
  calls = 0;
  gate: Deferred<void> | undefined;

  @Cached({ key: 'articles:latest', tags: 'articles' })
  async latest(): Promise<number> {
    return this.load();
  }

  @Cached({ key: 'articles:featured', tags: ['articles', 'featured'] })
  async featured(): Promise<number> {
    return this.load();
  }

  @Cached({ key: 'articles:top', tags: new TagSet().tag('articles').entity('list', 'top') })
  async top(): Promise<number> {
    return this.load();
  }

  @Cached({
    key: (author: string, page: number) => `articles:${author}:${page}`,
    tags: (author: string) => TagSet.fromTag('articles').entity('author', author),
  })
  async byAuthor(author: string, page: number): Promise<string> {
    await this.load();
    return `${author}#${page}`;
  }

  private async load(): Promise<number> {
    const call = ++this.calls;
    if (this.gate !== undefined) await this.gate.promise;
    return call;
  }
}

describe('@Cached tags', () => {
  let moduleRef: TestingModule;
  let articles: Articles;
  let cache: HydraCache;

  beforeEach(async () => {
    moduleRef = await compileModule({
      imports: [HydraCacheModule.forRoot()],
      providers: [Articles],
    });
    articles = moduleRef.get(Articles);
    cache = moduleRef.get(HydraCache);
  });

  afterEach(async () => {
    await moduleRef.close();
  });

  it('accepts one string, an array and a TagSet, and invalidating a tag evicts the entry', async () => {
    await articles.latest();
    await articles.featured();
    await articles.top();
    expect(articles.calls).toBe(3);

    expect(await cache.invalidateTag('featured')).toBe(1);
    expect(await cache.invalidateTag('list:top')).toBe(1);
    await articles.latest();
    await articles.featured();
    await articles.top();
    expect(articles.calls).toBe(5);

    expect(await cache.invalidateTag('articles')).toBe(3);
    expect(cache.stats().size).toBe(0);
  });

  it('computes tags from the arguments, spread like the method’s parameters', async () => {
    expect(await articles.byAuthor('ada', 1)).toBe('ada#1');
    expect(await articles.byAuthor('ada', 2)).toBe('ada#2');
    expect(await articles.byAuthor('alan', 1)).toBe('alan#1');
    expect(articles.calls).toBe(3);

    expect(await cache.invalidateTag('author:ada')).toBe(2);
    expect(await cache.containsKey('articles:alan:1')).toBe(true);
    await articles.byAuthor('ada', 1);
    await articles.byAuthor('alan', 1);
    expect(articles.calls).toBe(4);
  });

  it('does not store a load whose tag was invalidated while it ran, but still returns its result', async () => {
    articles.gate = deferred<void>();
    const pending = articles.byAuthor('ada', 1);
    await cache.invalidateTag('author:ada');
    articles.gate.resolve();

    expect(await pending).toBe('ada#1');
    expect(await cache.containsKey('articles:ada:1')).toBe(false);
    expect(cache.stats().staleLoadDiscards).toBe(1);
  });

  it('stores a load when an unrelated tag is invalidated while it runs', async () => {
    articles.gate = deferred<void>();
    const pending = articles.byAuthor('ada', 1);
    await cache.invalidateTag('author:alan');
    articles.gate.resolve();

    expect(await pending).toBe('ada#1');
    expect(await cache.containsKey('articles:ada:1')).toBe(true);
  });
});
