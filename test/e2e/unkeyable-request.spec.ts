import 'reflect-metadata';
import {
  Catch,
  Controller,
  Get,
  HttpException,
  Injectable,
  Req,
  type ArgumentsHost,
  type ExceptionFilter,
  type INestApplication,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';

/** The part of Express's response the filter uses. */
interface JsonResponse {
  status(code: number): { json(body: unknown): void };
}
import request from 'supertest';
import { Cached, CacheError, HydraCacheModule } from '../../lib/index.js';
import { startApp } from '../support/nest-app.js';

/** Records what reached Nest's exception layer and answers like the default filter would. */
@Injectable()
@Catch()
class RecordingFilter implements ExceptionFilter {
  readonly seen: unknown[] = [];

  catch(exception: unknown, host: ArgumentsHost): void {
    this.seen.push(exception);
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    host.switchToHttp().getResponse<JsonResponse>().status(status).json({ statusCode: status });
  }
}

@Controller('whoami')
class WhoAmIController {
  calls = 0;

  /** Wrong: the default key cannot be built from the request object. */
  @Get('default-key')
  @Cached()
  async defaultKey(@Req() req: IncomingMessage): Promise<{ url: string | undefined }> {
    this.calls++;
    return { url: req.url };
  }

  /** Right: an explicit key that picks what matters from the request. */
  @Get('explicit-key')
  @Cached({ key: (req: IncomingMessage) => `whoami:${String(req.headers['x-user'])}` })
  async explicitKey(@Req() req: IncomingMessage): Promise<{ user: unknown; call: number }> {
    this.calls++;
    return { user: req.headers['x-user'], call: this.calls };
  }
}

describe('e2e: a request object passed to a @Cached method with the default key', () => {
  let app: INestApplication;

  beforeEach(async () => {
    app = await startApp({
      imports: [HydraCacheModule.forRoot()],
      controllers: [WhoAmIController],
      providers: [RecordingFilter, { provide: APP_FILTER, useExisting: RecordingFilter }],
    });
  });

  afterEach(async () => {
    await app.close();
  });

  it('fails the request with E_UNKEYABLE_ARGUMENT naming the handler, without running it', async () => {
    await request(app.getHttpServer()).get('/whoami/default-key').expect(500);

    const [error] = app.get(RecordingFilter).seen;
    expect(error).toBeInstanceOf(CacheError);
    expect(error).toMatchObject({ code: 'E_UNKEYABLE_ARGUMENT' });
    expect((error as CacheError).message).toContain('WhoAmIController.defaultKey');
    expect((error as CacheError).message).toContain('IncomingMessage');
    expect(app.get(WhoAmIController).calls).toBe(0);
  });

  it('works with an explicit key built from the request', async () => {
    const server = app.getHttpServer();
    await request(server)
      .get('/whoami/explicit-key')
      .set('X-User', 'ada')
      .expect(200, { user: 'ada', call: 1 });
    await request(server)
      .get('/whoami/explicit-key')
      .set('X-User', 'ada')
      .expect(200, { user: 'ada', call: 1 });
    await request(server)
      .get('/whoami/explicit-key')
      .set('X-User', 'alan')
      .expect(200, { user: 'alan', call: 2 });
  });
});
