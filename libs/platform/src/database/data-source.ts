import { Client } from 'pg';
import { DataSource, type DataSourceOptions, type MigrationInterface } from 'typeorm';
import { MIGRATIONS } from './migrations';
/** A database's list of migrations, and the advisory lock under which processes starting together apply them once. */
export interface MigrationSet {
  migrations: Array<new () => MigrationInterface>;
  lockId: number;
}

const MIGRATION_LOCK = 0x7061726d;
/** The main (event) database's migrations; the key database has its own set (libs/privacy). */
export const MAIN_MIGRATIONS: MigrationSet = { migrations: MIGRATIONS, lockId: MIGRATION_LOCK };

/** The database and its migrations; each context registers its own entities (TypeOrmModule.forFeature). */
export function dataSourceOptions(databaseUrl: string, set: MigrationSet = MAIN_MIGRATIONS): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: [],
    migrations: set.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
  };
}

/**
 * Creates the database if it is missing and applies pending migrations (the main set unless told
 * otherwise), holding an advisory lock so that processes starting together apply them once. Returns
 * the names of the migrations applied.
 */
export async function prepareDatabase(databaseUrl: string, set: MigrationSet = MAIN_MIGRATIONS): Promise<string[]> {
  await createDatabaseIfMissing(databaseUrl);
  const lock = new Client({ connectionString: databaseUrl });
  await lock.connect();
  const dataSource = new DataSource(dataSourceOptions(databaseUrl, set));
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [set.lockId]);
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
