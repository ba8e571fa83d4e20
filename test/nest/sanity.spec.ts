import 'reflect-metadata';
import { Controller, Get, Injectable, Module, Param, NotFoundException } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Cached, HydraCache, HydraCacheModule, InvalidateTags } from '../../lib/index.js';

@Injectable()
class UsersService {
  calls = 0;
  @Cached({ key: (id: number) => `user:${id}`, tags: (id: number) => [`user:${id}`] })
  async findOne(id: number): Promise<{ id: number; calls: number }> {
    this.calls++;
    if (id === 404) throw new NotFoundException();
    return { id, calls: this.calls };
  }

  @InvalidateTags((id: number) => [`user:${id}`])
  async update(id: number): Promise<number> {
    return id;
  }
}

@Controller('users')
class UsersController {
  constructor(private readonly users: UsersService) {}
  @Cached({ key: (id: string) => `route:${id}` })
  @Get(':id')
  async get(@Param('id') id: string) {
    return this.users.findOne(Number(id));
  }
}

@Module({
  imports: [HydraCacheModule.forRoot()],
  providers: [UsersService],
  controllers: [UsersController],
})
class AppModule {}

describe('sanity', () => {
  it('works', async () => {
    const mod = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = mod.createNestApplication();
    await app.init();
    const users = app.get(UsersService);
    expect(await users.findOne(1)).toEqual({ id: 1, calls: 1 });
    expect(await users.findOne(1)).toEqual({ id: 1, calls: 1 });
    await users.update(1);
    expect(await users.findOne(1)).toEqual({ id: 1, calls: 2 });
    expect(app.get(HydraCache).stats().hits).toBe(1);
    expect(Reflect.getMetadata('path', UsersController.prototype.get)).toBe(':id');
    await app.close();
  });
});
