import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Controller,
  Get,
  Header,
  Injectable,
  UseInterceptors,
  type INestApplication,
} from '@nestjs/common';
import { HydraCacheModule } from '../../lib/index.js';
import { CacheRoute, HydraCacheInterceptor } from '../../lib/http/index.js';
import { startHttpApp } from './support/http-app.js';

const CHROMIUM = '/usr/bin/chromium';

@Injectable()
class Calls {
  count = 0;
}

/** A page that fetches the cached route twice and writes what its script saw into the DOM. */
const PAGE = `<!doctype html><html><body>pending<script>
(async () => {
  const first = await fetch('/report/data');
  await first.text();
  const second = await fetch('/report/data');
  const body = await second.json();
  document.body.textContent = 'done ' + first.status + ' ' + second.status + ' ' + body.calls;
})().catch((e) => { document.body.textContent = 'failed ' + e; });
</script></body></html>`;

@Controller('report')
@UseInterceptors(HydraCacheInterceptor)
class ReportController {
  constructor(private readonly calls: Calls) {}

  @Get('page')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  page(): string {
    return PAGE;
  }

  /** Private (no max-age): the browser keeps it but revalidates before each reuse. */
  @Get('data')
  @CacheRoute({ ttl: 60_000 })
  data() {
    return { calls: ++this.calls.count };
  }
}

/** Runs headless Chromium on `url` and resolves with the DOM after the page's fetches settle. */
function dumpDom(url: string): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'hydracache-chromium-'));
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    `--user-data-dir=${profile}`,
    // Virtual time waits for the page's network requests before the DOM is dumped.
    '--virtual-time-budget=10000',
    '--dump-dom',
    url,
  ];
  return new Promise<string>((resolve, reject) => {
    execFile(CHROMIUM, args, { timeout: 60_000 }, (error, stdout) => {
      rmSync(profile, { recursive: true, force: true });
      if (error) reject(error);
      else resolve(stdout);
    });
  });
}

const describeWithChromium = existsSync(CHROMIUM) ? describe : describe.skip;
if (!existsSync(CHROMIUM)) {
  const message = `browser revalidation test: ${CHROMIUM} is not installed (apt-get install chromium).`;
  // CI installs Chromium (.ci/run) and sets this, so a missing browser fails there instead of skipping.
  if (process.env.HYDRACACHE_REQUIRE_BROWSER) throw new Error(`Cannot run the ${message}`);
  console.warn(`SKIPPED ${message}`);
}

describeWithChromium('a real browser revalidates a cached route (Chromium)', () => {
  let app: INestApplication;
  const seen: { url: string; ifNoneMatch: string | undefined; status: number }[] = [];

  beforeAll(async () => {
    app = await startHttpApp('express', {
      imports: [HydraCacheModule.forRoot()],
      controllers: [ReportController],
      providers: [Calls],
    });
    const server = app.getHttpServer() as Server;
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      res.on('finish', () =>
        seen.push({
          url: req.url ?? '',
          ifNoneMatch: req.headers['if-none-match'],
          status: res.statusCode,
        }),
      );
    });
    // startHttpApp already listens on a free loopback port.
  });

  afterAll(async () => {
    await app.close();
  });

  it('sends If-None-Match on the second fetch and gets a 304 from the cache', async () => {
    const { port } = (app.getHttpServer() as Server).address() as { port: number };
    const dom = await dumpDom(`http://127.0.0.1:${port}/report/page`);

    // The script sees the browser's cached copy: 200 both times, one handler run.
    expect(dom).toContain('done 200 200 1');
    const data = seen.filter((r) => r.url === '/report/data');
    expect(data).toHaveLength(2);
    expect(data[0]).toMatchObject({ ifNoneMatch: undefined, status: 200 });
    expect(data[1]!.ifNoneMatch).toMatch(/^"[\w-]{32}"$/);
    expect(data[1]!.status).toBe(304);
    expect(app.get(Calls).count).toBe(1);
  });
});
