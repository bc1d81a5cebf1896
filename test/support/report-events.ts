import { reportStream } from '@passerelle/reporting';
import { queryRows } from './sql';

/** A workshop's report stream as `type` or `type:country` (deliveries), in order: what a report went through. */
export async function reportEvents(databaseUrl: string, workshopId: string): Promise<string[]> {
  const rows = await queryRows<{ type: string; country: string | null }>(
    databaseUrl,
    "SELECT type, data->>'country' AS country FROM events WHERE stream_id = $1 ORDER BY position",
    [reportStream(workshopId)],
  );
  return rows.map((e) => (e.country ? `${e.type}:${e.country}` : e.type));
}
