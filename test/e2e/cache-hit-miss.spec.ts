import 'reflect-metadata';
import {
  Controller,
  Get,
  Injectable,
  Param,
  ParseIntPipe,
  Query,
  type INestApplication,
} from '@nestjs/common';
import request from 'supertest';
import { Cached, HydraCache, HydraCacheModule } from '../../lib/index.js';
import { startApp } from '../support/nest-app.js';

interface User {
  id: number;
  name: string;
  fetch: number;
}

@Injectable()
class UsersRepository {
  readonly fetched: number[] = [];

  async find(id: number): Promise<User> {
    this.fetched.push(id);
    return { id, name: `user ${id}`, fetch: this.fetched.length };
  }
}

@Injectable()
class UsersService {
  constructor(private readonly repository: UsersRepository) {}

  @Cached({ key: (id: number) => `user:${id}`, tags: (id: number) => [`user:${id}`] })
  async findOne(id: number): Promise<User> {
    return this.repository.find(id);
  }
}

@Controller('users')
class UsersController {
  searches = 0;

  constructor(private readonly users: UsersService) {}

  /** Cached on the controller itself, with the default key built from the query values. */
  @Get()
  @Cached()
  async search(@Query('name') name: string, @Query('page') page = '1'): Promise<object> {
    this.searches++;
    return { name, page, search: this.searches };
  }

  @Get(':id')
  async get(@Param('id', ParseIntPipe) id: number): Promise<User> {
    return this.users.findOne(id);
  }
}

describe('e2e: cache hit and miss through a controller', () => {
  let app: INestApplication;
  let repository: UsersRepository;
  let cache: HydraCache;

  beforeEach(async () => {
    app = await startApp({
      imports: [HydraCacheModule.forRoot()],
      controllers: [UsersController],
      providers: [UsersService, UsersRepository],
    });
    repository = app.get(UsersRepository);
    cache = app.get(HydraCache);
  });

  afterEach(async () => {
    await app.close();
  });

  it('misses on the first request and hits on the next ones', async () => {
    const first = await request(app.getHttpServer()).get('/users/1').expect(200);
    expect(first.body).toEqual({ id: 1, name: 'user 1', fetch: 1 });

    const second = await request(app.getHttpServer()).get('/users/1').expect(200);
    const third = await request(app.getHttpServer()).get('/users/1').expect(200);
    expect(second.body).toEqual(first.body);
    expect(third.body).toEqual(first.body);
    expect(repository.fetched).toEqual([1]);
    expect(cache.stats()).toMatchObject({ misses: 1, hits: 2, loads: 1 });
  });

  it('misses for a different id', async () => {
    await request(app.getHttpServer()).get('/users/1').expect(200);
    const other = await request(app.getHttpServer()).get('/users/2').expect(200);
    expect(other.body).toEqual({ id: 2, name: 'user 2', fetch: 2 });
    await request(app.getHttpServer()).get('/users/2').expect(200);
    expect(repository.fetched).toEqual([1, 2]);
  });

  it('misses again after the entry is invalidated', async () => {
    await request(app.getHttpServer()).get('/users/1').expect(200);
    await cache.invalidateTag('user:1');
    const again = await request(app.getHttpServer()).get('/users/1').expect(200);
    expect(again.body.fetch).toBe(2);
  });

  it('caches a controller method with a default key from the query parameters', async () => {
    const server = app.getHttpServer();
    const first = await request(server).get('/users?name=ada&page=2').expect(200);
    expect(first.body).toEqual({ name: 'ada', page: '2', search: 1 });
    await request(server).get('/users?page=2&name=ada').expect(200, first.body);
    await request(server)
      .get('/users?name=ada&page=3')
      .expect(200, { name: 'ada', page: '3', search: 2 });
    await request(server).get('/users?name=ada').expect(200, { name: 'ada', page: '1', search: 3 });
    expect(app.get(UsersController).searches).toBe(3);
  });
});
