/** A bench's own database: created fresh, and dropped at the end, on failure or on Ctrl-C. */
import { createTestDatabase } from '@passerelle/testing';

export async function withBenchDatabase(name: string, bench: (url: string) => Promise<void>): Promise<void> {
  const db = await createTestDatabase(name);
  let aborting: Promise<void> | undefined;
  const abort = () => {
    aborting ??= db.drop().finally(() => process.exit(130));
  };
  process.on('SIGINT', abort).on('SIGTERM', abort);
  try {
    await bench(db.url);
  } finally {
    process.off('SIGINT', abort).off('SIGTERM', abort); // a bench that goes on afterwards answers Ctrl-C itself
    await (aborting ?? db.drop()); // after Ctrl-C the process exits there, without reporting the killed queries
  }
}

/** Runs a bench's main: exit code 1 and the error on failure; whatever the figures, it is a measurement, not a test. */
export function runBench(main: () => Promise<void>): void {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
