import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * The job ids, among `jobIds`, that have no job in the queue's Redis: one pipelined EXISTS per batch,
 * so a pass costs a round trip per `batchSize` ids, not one per id.
 */
export async function missingJobIds(queue: Queue, jobIds: string[], batchSize = 1000): Promise<Set<string>> {
  // BullMQ's own connection (ioredis): its type narrows the pipeline to BullMQ's commands.
  const client = (await queue.client) as unknown as Redis;
  const missing = new Set<string>();
  for (let start = 0; start < jobIds.length; start += batchSize) {
    const batch = jobIds.slice(start, start + batchSize);
    const pipeline = client.pipeline();
    for (const jobId of batch) pipeline.exists(queue.toKey(jobId));
    const results = (await pipeline.exec()) ?? [];
    results.forEach(([err, found], i) => {
      if (err) throw err;
      if (found === 0) missing.add(batch[i]);
    });
  }
  return missing;
}
