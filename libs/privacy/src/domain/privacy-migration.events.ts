/**
 * The record of `npm run privacy:encrypt-existing` on the `privacy-migration` stream: the one time the event
 * store rewrites its history, sealing the personal fields of events written before they were sealed. It
 * names no one: dates, positions and counts.
 */
export type PrivacyMigrationEvent = {
  type: 'PersonalDataEncrypted';
  data: {
    /** When the command first began on this database, and when this run finished it. */
    startedAt: string;
    finishedAt: string;
    /** Every event at a position up to this one has its personal fields sealed. */
    throughPosition: number;
    /** Events rewritten and personal fields sealed, over every run until now. */
    eventsEncrypted: number;
    fieldsEncrypted: number;
    /** Transactions (batches) and runs of the command it took (a run stopped half-way counts). */
    batches: number;
    runs: number;
  };
};
