/** The subscription runner's timings, each named once. */

/** Read again this often when nothing woke the runner, unless `pollIntervalMs` says otherwise. */
export const DEFAULT_POLL_INTERVAL_MS = 1000;
/** A runner on standby tries to take the lock this often, unless `lockRetryMs` says otherwise. */
export const DEFAULT_LOCK_RETRY_MS = 1000;
/** Wait before connecting again, unless `reconnectDelayMs` says otherwise. */
export const DEFAULT_RECONNECT_DELAY_MS = 1000;
/** Rebuild and replay requests are looked for at least this often, even with no NOTIFY announcing one. */
export const REQUEST_CHECK_INTERVAL_MS = 1000;

/** Reads of an idle runner woken by appends are at least this far apart. */
export const MIN_READ_INTERVAL_MS = 15;
/** A checkpoint moved past other categories' events is stored after this long with nothing new... */
export const IDLE_SAVE_MS = 20;
/** ...and at least this often while events keep coming. */
export const BUSY_SAVE_MS = 200;

/** While written events are not yet readable (an older transaction is open), look again after 10, 20, ... ms... */
export const HELD_FIRST_LOOK_MS = 10;
/** ...doubling at most this many times (and never beyond the poll interval). */
export const HELD_MAX_DOUBLINGS = 6;

/** Events per consumer transaction, unless the consumer says otherwise. */
export const DEFAULT_BATCH_SIZE = 500;
/** Attempts per failing event, and the backoff between them, unless `retry` says otherwise. */
export const DEFAULT_RETRY = { attempts: 5, baseDelayMs: 200, maxDelayMs: 10_000 };

/** A pause checks this often whether the runner is stopping. */
export const STOP_CHECK_INTERVAL_MS = 25;
