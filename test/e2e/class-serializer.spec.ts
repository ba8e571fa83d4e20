import 'reflect-metadata';
import {
  ClassSerializerInterceptor,
  Controller,
  Get,
  Injectable,
  Param,
  ParseIntPipe,
  UseInterceptors,
  type INestApplication,
} from '@nestjs/common';
import { Exclude, Expose } from 'class-transformer';
import request from 'supertest';
import { Cached, HydraCache, HydraCacheModule } from '../../lib/index.js';
import { startApp } from '../support/nest-app.js';

class Profile {
  constructor(public bio: string) {}

  @Exclude()
  internalNote = 'staff only';
}

class User {
  id!: number;
  name!: string;

  @Exclude()
  password!: string;

  profile!: Profile;

  @Expose()
  get displayName(): string {
    return `${this.name} (#${this.id})`;
  }
}

@Injectable()
class UsersService {
  reads = 0;

  @Cached({ key: (id: number) => `user:${id}` })
  async findOne(id: number): Promise<User> {
    this.reads++;
    return Object.assign(new User(), {
      id,
      name: `user ${id}`,
      password: 'hunter2',
      profile: new Profile('hello'),
    });
  }

  @Cached({ key: () => 'users' })
  async findAll(): Promise<User[]> {
    return [await this.findOne(1), await this.findOne(2)];
  }
}

@Controller('users')
@UseInterceptors(ClassSerializerInterceptor)
class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  findAll(): Promise<User[]> {
    return this.users.findAll();
  }

  @Get(':id')
  findOne(@Param('id', ParseIntPipe) id: number): Promise<User> {
    return this.users.findOne(id);
  }
}

describe('e2e: cached entities behind ClassSerializerInterceptor', () => {
  let app: INestApplication;

  beforeEach(async () => {
    app = await startApp({
      imports: [HydraCacheModule.forRoot()],
      controllers: [UsersController],
      providers: [UsersService],
    });
  });

  afterEach(async () => {
    await app.close();
  });

  const expected = (id: number) => ({
    id,
    name: `user ${id}`,
    displayName: `user ${id} (#${id})`,
    profile: { bio: 'hello' },
  });

  it('omits @Exclude() fields on the miss and on every cached hit', async () => {
    const miss = await request(app.getHttpServer()).get('/users/1').expect(200);
    const hit = await request(app.getHttpServer()).get('/users/1').expect(200);
    const again = await request(app.getHttpServer()).get('/users/1').expect(200);
    for (const response of [miss, hit, again]) expect(response.body).toEqual(expected(1));
    expect(app.get(UsersService).reads).toBe(1);
    expect(app.get(HydraCache).stats()).toMatchObject({ misses: 1, hits: 2 });
  });

  it('omits them for concurrent callers sharing one load, and in cached arrays', async () => {
    const server = app.getHttpServer();
    const concurrent = await Promise.all(
      [1, 2, 3].map(() => request(server).get('/users/2').expect(200)),
    );
    for (const response of concurrent) expect(response.body).toEqual(expected(2));
    expect(app.get(UsersService).reads).toBe(1);

    const list = await request(server).get('/users').expect(200);
    const cachedList = await request(server).get('/users').expect(200);
    for (const response of [list, cachedList]) {
      expect(response.body).toEqual([expected(1), expected(2)]);
      expect(JSON.stringify(response.body)).not.toContain('hunter2');
      expect(JSON.stringify(response.body)).not.toContain('staff only');
    }
  });
});
