import 'reflect-metadata';
import {
  Body,
  ConflictException,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Injectable,
  Param,
  ParseIntPipe,
  Post,
  Put,
  type INestApplication,
} from '@nestjs/common';
import request from 'supertest';
import {
  Cached,
  HydraCacheModule,
  InvalidateKeys,
  InvalidateTags,
  TagSet,
} from '../../lib/index.js';
import { startApp } from '../support/nest-app.js';

interface User {
  id: number;
  name: string;
  teamId: number;
  version: number;
}

@Injectable()
class UsersService {
  readonly rows = new Map<number, User>([
    [1, { id: 1, name: 'ada', teamId: 10, version: 1 }],
    [2, { id: 2, name: 'alan', teamId: 10, version: 1 }],
  ]);
  reads = 0;

  @Cached({ key: (id: number) => `user:${id}`, tags: (id: number) => [`user:${id}`, 'users'] })
  async findOne(id: number): Promise<User> {
    this.reads++;
    const user = this.rows.get(id);
    if (user === undefined) throw new NotFoundException();
    return user;
  }

  @Cached({
    key: 'users:all',
    tags: 'users',
    resultTags: (users: User[]) => users.map((u) => `team:${u.teamId}`),
  })
  async findAll(): Promise<User[]> {
    this.reads++;
    return [...this.rows.values()];
  }

  /** Args form. */
  @InvalidateTags((id: number) => [`user:${id}`, 'users'])
  async update(id: number, patch: { name: string; version: number }): Promise<User> {
    const current = this.rows.get(id)!;
    if (patch.version !== current.version) throw new ConflictException('stale version');
    const next = { ...current, name: patch.name, version: current.version + 1 };
    this.rows.set(id, next);
    return next;
  }

  /** Result form: the new user's team is only known from the result. */
  @InvalidateTags({
    resultTags: (user: User) => TagSet.fromTag('users').entity('team', user.teamId),
  })
  async create(input: { name: string; teamId: number }): Promise<User> {
    const user = { id: this.rows.size + 1, ...input, version: 1 };
    this.rows.set(user.id, user);
    return user;
  }

  /** Key-level eviction. */
  @InvalidateKeys((id: number) => [`user:${id}`, 'users:all'])
  async remove(id: number): Promise<void> {
    this.rows.delete(id);
  }
}

@Controller('users')
class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  list(): Promise<User[]> {
    return this.users.findAll();
  }

  @Get(':id')
  get(@Param('id', ParseIntPipe) id: number): Promise<User> {
    return this.users.findOne(id);
  }

  @Put(':id')
  update(
    @Param('id', ParseIntPipe) id: number,
    @Body() patch: { name: string; version: number },
  ): Promise<User> {
    return this.users.update(id, patch);
  }

  @Post()
  create(@Body() input: { name: string; teamId: number }): Promise<User> {
    return this.users.create(input);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id', ParseIntPipe) id: number): Promise<void> {
    return this.users.remove(id);
  }
}

describe('e2e: invalidation through decorated methods', () => {
  let app: INestApplication;
  let users: UsersService;

  beforeEach(async () => {
    app = await startApp({
      imports: [HydraCacheModule.forRoot()],
      controllers: [UsersController],
      providers: [UsersService],
    });
    users = app.get(UsersService);
  });

  afterEach(async () => {
    await app.close();
  });

  it('@InvalidateTags (arguments): an update is visible on the next read', async () => {
    const server = app.getHttpServer();
    await request(server)
      .get('/users/1')
      .expect(200, { id: 1, name: 'ada', teamId: 10, version: 1 });
    await request(server).get('/users').expect(200);
    await request(server).get('/users/1').expect(200);
    expect(users.reads).toBe(2);

    await request(server)
      .put('/users/1')
      .send({ name: 'ada lovelace', version: 1 })
      .expect(200, { id: 1, name: 'ada lovelace', teamId: 10, version: 2 });

    await request(server)
      .get('/users/1')
      .expect(200, { id: 1, name: 'ada lovelace', teamId: 10, version: 2 });
    const list = await request(server).get('/users').expect(200);
    expect(list.body[0].name).toBe('ada lovelace');
    expect(users.reads).toBe(4);
  });

  it('@InvalidateTags (result): creating a user refreshes the list that holds its team', async () => {
    const server = app.getHttpServer();
    expect((await request(server).get('/users').expect(200)).body).toHaveLength(2);

    await request(server).post('/users').send({ name: 'grace', teamId: 10 }).expect(201);
    expect((await request(server).get('/users').expect(200)).body).toHaveLength(3);
    expect(users.reads).toBe(2);
  });

  it('@InvalidateKeys: a deleted user is no longer served from the cache', async () => {
    const server = app.getHttpServer();
    await request(server).get('/users/2').expect(200);
    await request(server).get('/users').expect(200);
    await request(server).delete('/users/2').expect(204);

    expect((await request(server).get('/users').expect(200)).body).toHaveLength(1);
    await request(server).get('/users/2').expect(404);
    expect(users.reads).toBe(4);
  });

  it('a failed update invalidates nothing and its error reaches the client', async () => {
    const server = app.getHttpServer();
    await request(server).get('/users/1').expect(200);

    const conflict = await request(server)
      .put('/users/1')
      .send({ name: 'ignored', version: 99 })
      .expect(409);
    expect(conflict.body).toMatchObject({ statusCode: 409, message: 'stale version' });

    await request(server)
      .get('/users/1')
      .expect(200, { id: 1, name: 'ada', teamId: 10, version: 1 });
    expect(users.reads).toBe(1);
  });
});
