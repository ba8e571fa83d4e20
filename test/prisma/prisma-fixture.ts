import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { HydraCache } from '@hydracache/nestjs';
import { hydraCache, type PrismaCacheOptions } from '@hydracache/nestjs/prisma';
import { createDatabase, PG } from '../drizzle/pg-database.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
/** Where the client is generated: under .tmp/, which git, ESLint and Prettier ignore. */
const CLIENT = fileURLToPath(new URL('../../.tmp/prisma-client/client.ts', import.meta.url));

/**
 * Generates the test client (.tmp/prisma-client, not committed) unless it exists. Prisma's CLI
 * fetches its schema engine before any command, though `generate` never uses it; pointing it at
 * /bin/true skips the download, so only the npm registry is needed.
 */
function generateClient(): void {
  if (existsSync(CLIENT)) return;
  execFileSync('npx', ['prisma', 'generate', '--schema', `${HERE}schema.prisma`], {
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true' },
    stdio: 'pipe',
  });
}

/** A database with `users` (ada, bob) and `posts` (one by ada), a Prisma client extended with a HydraCache, and a raw client. */
export interface PrismaFixture {
  cache: HydraCache;
  base: any;
  prisma: any;
  raw: pg.Client;
  database: string;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function prismaFixture(
  name: string,
  options: PrismaCacheOptions = {},
): Promise<PrismaFixture> {
  generateClient();
  const { database, drop } = await createDatabase(name);
  const raw = new pg.Client({ ...PG, database });
  await raw.connect();
  await raw.query(`CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL);
    CREATE TABLE posts (id serial PRIMARY KEY, title text NOT NULL, author_id integer NOT NULL REFERENCES users(id));
    -- Checked at COMMIT: lets a test make a COMMIT fail.
    ALTER TABLE posts ADD CONSTRAINT posts_title_unique UNIQUE (title) DEFERRABLE INITIALLY DEFERRED`);
  const { PrismaClient } = (await import(CLIENT)) as { PrismaClient: new (o: unknown) => any };
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const base = new PrismaClient({
    adapter: new PrismaPg({ ...PG, database, max: 4 }),
  });
  const cache = HydraCache.local().build();
  const prisma = base.$extends(hydraCache(cache, options));
  return {
    cache,
    base,
    prisma,
    raw,
    database,
    async reset() {
      await raw.query(`TRUNCATE users, posts RESTART IDENTITY;
        INSERT INTO users (name) VALUES ('ada'), ('bob');
        INSERT INTO posts (title, author_id) VALUES ('hello', 1)`);
      await cache.flush();
    },
    async close() {
      await cache.close();
      await base.$disconnect();
      await raw.end();
      await drop();
    },
  };
}
