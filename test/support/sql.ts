import { Client } from 'pg';

/** One query on a test database over a connection of its own, closed at once: the rows. */
export async function queryRows<T = Record<string, unknown>>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}
