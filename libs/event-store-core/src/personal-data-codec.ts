/** What personal fields read as once their subject is erased (API.md, "Personal data"). */
export const ERASED = '[erased]';

/** Runs queries inside the append's own transaction (the store's pool client or pool). */
export interface CodecQueryable {
  query<R = any>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/** One event as the codec sees it: where it goes and what it holds. */
export interface CodecEvent {
  streamId: string;
  type: string;
  data: unknown;
}

export interface SealedData {
  /** The data to store: personal fields encrypted (the same object when nothing in it is personal). */
  data: unknown;
  /** The subjects named by the event, to index which streams name whom. */
  subjectIds: readonly string[];
}

export interface OpenedData {
  /** The data as readers see it: personal fields decrypted, or `[erased]`. */
  data: unknown;
  /** The subjects named by the event, erased or not. */
  subjectIds: readonly string[];
  /** Whether a personal field read as `[erased]`. */
  erased: boolean;
}

/**
 * How an event store keeps personal fields: sealed (encrypted under their subject's key) before an event is
 * written, opened when it is read. The store knows no keys and no declarations; the implementation does.
 */
export interface PersonalDataCodec {
  seal(event: CodecEvent, db: CodecQueryable): Promise<SealedData>;
  open(event: CodecEvent): Promise<OpenedData>;
  /** `open` for a page of events read together, when the codec can do better than one at a time. */
  openMany?(events: CodecEvent[]): Promise<OpenedData[]>;
}

/** The Nest token under which an app provides its PersonalDataCodec to the event store. */
export const PERSONAL_DATA_CODEC = Symbol('PERSONAL_DATA_CODEC');
