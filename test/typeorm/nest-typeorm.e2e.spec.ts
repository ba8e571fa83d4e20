import 'reflect-metadata';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Injectable, type INestApplication } from '@nestjs/common';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Cached, HydraCache, HydraCacheModule, tableTag } from '../../lib/index.js';
import { hydraQueryCache } from '../../lib/typeorm/index.js';
import { startApp } from '../support/nest-app.js';
import { ENTITIES, Member } from './support/entities.js';
import {
  connectionOptions,
  createDatabase,
  databaseName,
  dropDatabase,
  QueryLog,
} from './support/data-sources.js';

const log = new QueryLog();

@Injectable()
class MembersService {
  counted = 0;

  constructor(@InjectRepository(Member) private readonly members: Repository<Member>) {}

  /** A TypeORM query marked cache: served by the adapter. */
  list(): Promise<Member[]> {
    return this.members.find({ order: { id: 'ASC' }, cache: true });
  }

  /** A @Cached method tagged like the adapter's entries: TypeORM writes invalidate it too. */
  @Cached({ key: 'members:count', tags: [tableTag('member')] })
  async count(): Promise<number> {
    this.counted++;
    return this.members.count();
  }

  add(name: string): Promise<Member> {
    return this.members.save({ name });
  }
}

describe('e2e: @nestjs/typeorm with hydraQueryCache and HydraCacheModule (postgres)', () => {
  const name = databaseName('nest', 'postgres');
  let app: INestApplication;
  let service: MembersService;

  beforeAll(() => createDatabase('postgres', name));
  afterAll(() => dropDatabase('postgres', name));

  beforeEach(async () => {
    app = await startApp({
      imports: [
        HydraCacheModule.forRoot(),
        TypeOrmModule.forRootAsync({
          inject: [HydraCache],
          useFactory: (cache: HydraCache) => ({
            ...connectionOptions('postgres', name),
            entities: ENTITIES,
            synchronize: true,
            dropSchema: true,
            logging: true,
            logger: log,
            cache: hydraQueryCache(cache, { duration: 60_000 }),
          }),
        }),
        TypeOrmModule.forFeature([Member]),
      ],
      providers: [MembersService],
    });
    service = app.get(MembersService);
    await service.add('ada');
    log.queries.length = 0;
  });

  afterEach(() => app.close());

  it('serves cache: true queries from the module cache and drops them on save', async () => {
    expect((await service.list()).map((m) => m.name)).toEqual(['ada']);
    expect((await service.list()).map((m) => m.name)).toEqual(['ada']);
    expect(log.selects('member')).toBe(1);
    expect(app.get(HydraCache).stats().hits).toBe(1);

    await service.add('bob');
    expect((await service.list()).map((m) => m.name)).toEqual(['ada', 'bob']);
    expect(log.selects('member')).toBe(2);
  });

  it('invalidates @Cached entries tagged tableTag(table) on a TypeORM write', async () => {
    expect(await service.count()).toBe(1);
    expect(await service.count()).toBe(1);
    await service.add('bob');
    expect(await service.count()).toBe(2);
    expect(service.counted).toBe(2);
  });
});
