import { Client } from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';
/** The database and its migrations; each context registers its own entities (TypeOrmModule.forFeature). */
export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: [],
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
  };
}

const MIGRATION_LOCK = 0x7061726d;

/**
 * Creates the database if it is missing and applies pending migrations, holding an advisory lock so
 * that processes starting together apply them once. Returns the names of the migrations applied.
 */
export async function prepareDatabase(databaseUrl: string): Promise<string[]> {
  await createDatabaseIfMissing(databaseUrl);
  const lock = new Client({ connectionString: databaseUrl });
  await lock.connect();
  const dataSource = new DataSource(dataSourceOptions(databaseUrl));
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await lock.end();
  }
}

export async function createDatabaseIfMissing(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    return true;
  } catch (err: any) {
    if (err?.code === '42P04' || err?.code === '23505') return false;
    throw err;
  } finally {
    await admin.end();
  }
}
