import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { integer, pgTable, serial, text } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { HydraCache } from '@hydracache/nestjs';
import {
  hydraDrizzle,
  hydraDrizzleCache,
  type DrizzleCacheOptions,
  type HydraDrizzleCache,
} from '@hydracache/nestjs/drizzle';
import { createDatabase, GatedPool, PG } from './pg-database.js';

type CacheBuilder = ReturnType<typeof HydraCache.local>;

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
});

export const posts = pgTable('posts', {
  id: serial('id').primaryKey(),
  userId: integer('user_id').notNull(),
  title: text('title').notNull(),
});

/** A database with `users` (ada, bob) and `posts` (one by ada), a bound Drizzle over it, and a raw client that bypasses Drizzle. */
export interface DrizzleFixture {
  cache: HydraCache;
  adapter: HydraDrizzleCache;
  pool: GatedPool;
  db: NodePgDatabase;
  /** Writes Drizzle and the adapter know nothing of. */
  raw: pg.Client;
  /** The fixture's database name. */
  database: string;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function drizzleFixture(
  name: string,
  options: DrizzleCacheOptions = {},
  /** Adds to the cache's builder (change sources, a second tier). */
  configure: (builder: CacheBuilder) => CacheBuilder = (builder) => builder,
): Promise<DrizzleFixture> {
  const { database, drop } = await createDatabase(name);
  const pool = new GatedPool({ ...PG, database, max: 4 });
  const raw = new pg.Client({ ...PG, database });
  await raw.connect();
  await raw.query(`CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL);
    CREATE TABLE posts (id serial PRIMARY KEY, user_id integer NOT NULL, title text NOT NULL);
    -- Checked at COMMIT: lets a test make a COMMIT fail.
    ALTER TABLE posts ADD CONSTRAINT posts_title_unique UNIQUE (title) DEFERRABLE INITIALLY DEFERRED`);
  const cache = configure(HydraCache.local()).build();
  const adapter = hydraDrizzleCache(cache, options);
  const db = hydraDrizzle(drizzle(pool, { cache: adapter }));
  const fixture: DrizzleFixture = {
    cache,
    adapter,
    pool,
    db,
    raw,
    database,
    async reset() {
      await raw.query(`TRUNCATE users, posts RESTART IDENTITY;
        INSERT INTO users (name) VALUES ('ada'), ('bob');
        INSERT INTO posts (user_id, title) VALUES (1, 'hello')`);
      await cache.flush();
    },
    async close() {
      await cache.close();
      await raw.end();
      await pool.end();
      await drop();
    },
  };
  return fixture;
}
