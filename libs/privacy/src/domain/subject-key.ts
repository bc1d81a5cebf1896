/** A subject's key as the key store gives it: usable, destroyed by an erasure, or never created. */
export type SubjectKeyState =
  | { status: 'active'; subjectId: string; key: Buffer }
  | { status: 'erased'; subjectId: string; erasedAt: Date }
  | { status: 'unknown'; subjectId: string };

/** A usable key: what encrypting a field needs. */
export interface SubjectKey {
  subjectId: string;
  key: Buffer;
}

/** Subject ids are random UUIDs (version 4), never derived from an address. */
export const SUBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function isSubjectId(value: string): boolean {
  return SUBJECT_ID.test(value);
}
