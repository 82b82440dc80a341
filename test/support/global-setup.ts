// Every test run gets a PostgreSQL database of its own, created here and dropped at the end,
// so runs never share state. Tests read its URL from SEATWARDEN_TEST_PG_URL.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const ADMIN_URL = process.env.SEATWARDEN_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let dbName: string | undefined;

export async function setup(): Promise<void> {
  if (process.env.SEATWARDEN_TEST_PG === 'off' || process.env.SEATWARDEN_TEST_STORE === 'sqlite') return;
  dbName = `seatwarden_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${dbName}`);
  } finally {
    await client.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  process.env.SEATWARDEN_TEST_PG_URL = url.toString();
}

export async function teardown(): Promise<void> {
  if (!dbName) return;
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
