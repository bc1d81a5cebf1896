/**
 * A data subject is known by an e-mail address compared case-blind: the same person whether they
 * type " Ana@Example.ORG" or "ana@example.org". The normal form is Unicode NFC, without surrounding
 * white space, in lower case; it is what the blind index hashes, and it is never stored.
 */
export function normaliseEmail(email: string): string {
  return email.normalize('NFC').trim().toLowerCase();
}
