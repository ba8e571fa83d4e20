import 'reflect-metadata';
import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Injectable,
  Module,
  Param,
  type INestApplication,
} from '@nestjs/common';
import request from 'supertest';
import { Cached, HydraCache, HydraCacheModule, InvalidateTags } from '../../lib/index.js';
import { startApp } from '../support/nest-app.js';

@Injectable()
class GreetingsService {
  loads = 0;

  @Cached({ key: (name: string) => `greeting:${name}`, tags: ['greetings'] })
  async greet(name: string): Promise<{ text: string; load: number }> {
    return { text: `hello ${name}`, load: ++this.loads };
  }

  @InvalidateTags(['greetings'])
  async clear(): Promise<void> {}
}

@Controller('greetings')
class GreetingsController {
  constructor(private readonly greetings: GreetingsService) {}

  @Get(':name')
  get(@Param('name') name: string) {
    return this.greetings.greet(name);
  }

  @Delete()
  @HttpCode(204)
  clear() {
    return this.greetings.clear();
  }
}

@Module({
  imports: [HydraCacheModule.forRoot()],
  controllers: [GreetingsController],
  providers: [GreetingsService],
})
class AppModule {}

describe('e2e: two applications side by side', () => {
  let first: INestApplication;
  let second: INestApplication;

  beforeEach(async () => {
    first = await startApp({ imports: [AppModule] });
    second = await startApp({ imports: [AppModule] });
  });

  afterEach(async () => {
    await first.close();
    await second.close();
  });

  it('each get their own cache', () => {
    expect(first.get(HydraCache)).not.toBe(second.get(HydraCache));
  });

  it('cache independently: a hit in one app is a miss in the other', async () => {
    await request(first.getHttpServer())
      .get('/greetings/ada')
      .expect(200, { text: 'hello ada', load: 1 });
    await request(first.getHttpServer())
      .get('/greetings/ada')
      .expect(200, { text: 'hello ada', load: 1 });
    await request(second.getHttpServer())
      .get('/greetings/ada')
      .expect(200, { text: 'hello ada', load: 1 });

    expect(first.get(GreetingsService).loads).toBe(1);
    expect(second.get(GreetingsService).loads).toBe(1);
    expect(first.get(HydraCache).stats()).toMatchObject({ hits: 1, loads: 1 });
    expect(second.get(HydraCache).stats()).toMatchObject({ hits: 0, loads: 1 });
  });

  it('invalidate independently', async () => {
    await request(first.getHttpServer()).get('/greetings/ada').expect(200);
    await request(second.getHttpServer()).get('/greetings/ada').expect(200);

    await request(second.getHttpServer()).delete('/greetings').expect(204);
    await request(second.getHttpServer())
      .get('/greetings/ada')
      .expect(200, { text: 'hello ada', load: 2 });
    await request(first.getHttpServer())
      .get('/greetings/ada')
      .expect(200, { text: 'hello ada', load: 1 });
  });

  it('shut down independently: closing one app flushes only its cache', async () => {
    await request(first.getHttpServer()).get('/greetings/ada').expect(200);
    await request(second.getHttpServer()).get('/greetings/ada').expect(200);
    const firstCache = first.get(HydraCache);

    await first.close();
    expect(firstCache.stats().size).toBe(0);
    await request(second.getHttpServer())
      .get('/greetings/ada')
      .expect(200, { text: 'hello ada', load: 1 });
    // Re-create the first app so afterEach can close both.
    first = await startApp({ imports: [AppModule] });
  });
});
