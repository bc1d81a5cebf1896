export { createTestDatabase, dropTestDatabase, testPool } from './test-database';
export type { TestDatabase } from './test-database';
export { waitFor } from './wait-for';
export { testConfig } from './test-config';
export { deciderSpec } from './decider-spec';
export { SmtpSink } from './smtp-sink';
export type { ReceivedMail, SmtpSinkOptions } from './smtp-sink';
export { LogLines } from './log-lines';
export type { LogLine } from './log-lines';
