import 'reflect-metadata';
import {
  Controller,
  Get,
  Injectable,
  NotFoundException,
  Param,
  ParseIntPipe,
  type INestApplication,
} from '@nestjs/common';
import request from 'supertest';
import { Cached, HydraCache, HydraCacheModule } from '../../lib/index.js';
import { startApp } from '../support/nest-app.js';

@Injectable()
class BooksService {
  readonly titles = new Map<number, string>([[1, 'Dune']]);
  calls = 0;

  @Cached({ key: (id: number) => `book:${id}` })
  async findOne(id: number): Promise<{ id: number; title: string }> {
    this.calls++;
    const title = this.titles.get(id);
    if (title === undefined) throw new NotFoundException(`Book ${id} not found`);
    return { id, title };
  }
}

@Controller('books')
class BooksController {
  constructor(private readonly books: BooksService) {}

  @Get(':id')
  get(@Param('id', ParseIntPipe) id: number) {
    return this.books.findOne(id);
  }

  /** The cached method is the route handler itself. */
  @Get(':id/direct')
  @Cached({ key: (id: string) => `direct:${id}` })
  async direct(@Param('id') id: string): Promise<{ id: string }> {
    this.directCalls++;
    throw new NotFoundException({ message: `No direct book ${id}`, id });
  }

  directCalls = 0;
}

describe('e2e: a NotFoundException from a cached method', () => {
  let app: INestApplication;
  let books: BooksService;

  beforeEach(async () => {
    app = await startApp({
      imports: [HydraCacheModule.forRoot()],
      controllers: [BooksController],
      providers: [BooksService],
    });
    books = app.get(BooksService);
  });

  afterEach(async () => {
    await app.close();
  });

  it('reaches the client as a 404 with the exception’s body', async () => {
    const response = await request(app.getHttpServer()).get('/books/42').expect(404);
    expect(response.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Book 42 not found',
    });
  });

  it('is not cached: the next request calls the service again', async () => {
    const server = app.getHttpServer();
    await request(server).get('/books/42').expect(404);
    await request(server).get('/books/42').expect(404);
    expect(books.calls).toBe(2);
    expect(app.get(HydraCache).stats().size).toBe(0);

    // Once the book exists, it is served and cached.
    books.titles.set(42, 'Solaris');
    await request(server).get('/books/42').expect(200, { id: 42, title: 'Solaris' });
    await request(server).get('/books/42').expect(200, { id: 42, title: 'Solaris' });
    expect(books.calls).toBe(3);
  });

  it('also works when the route handler itself is cached', async () => {
    const server = app.getHttpServer();
    const response = await request(server).get('/books/7/direct').expect(404);
    expect(response.body).toEqual({ message: 'No direct book 7', id: '7' });
    await request(server).get('/books/7/direct').expect(404);
    expect(app.get(BooksController).directCalls).toBe(2);
  });
});
