import { FIELD_FORMAT, fieldSubjectId } from '@passerelle/privacy';

/** Marks a value left out of a subject's copy of an event. */
const LEFT_OUT = Symbol('left out');

interface Walked {
  value: unknown;
  /** Holds a personal field of the subject. */
  theirs: boolean;
  /** Holds a personal field of someone else. */
  others: boolean;
}

/**
 * The subjects whose personal fields a stored event holds, from the subject id each sealed value keeps in
 * clear (`pd1.<subjectId>.…`): nothing is decrypted to tell.
 */
export function subjectsNamedIn(stored: unknown): Set<string> {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      const subjectId = value.startsWith(`${FIELD_FORMAT}.`) ? fieldSubjectId(value) : undefined;
      if (subjectId) found.add(subjectId);
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value !== null && typeof value === 'object') {
      Object.values(value).forEach(visit);
    }
  };
  visit(stored);
  return found;
}

/**
 * A stored event's data (personal fields still sealed) as one subject may see it in their access request:
 * their own sealed fields kept, everyone else's left out. Whose a field is comes from the subject id the
 * sealed value keeps in clear, so nothing of anyone else is ever decrypted. An element of a list or a
 * nested object that holds someone else's personal fields and none of the subject's is about that other
 * person and is left out whole (a workshop's invitation list keeps only the subject's own entry, without
 * the other participants' invitation ids); the fields that are no one's (ids, dates, countries) stay.
 */
export function subjectsCopy(stored: unknown, subjectId: string): unknown {
  const walked = walk(stored, subjectId, true);
  return walked.value === LEFT_OUT ? {} : walked.value;
}

function walk(value: unknown, subjectId: string, root = false): Walked {
  if (typeof value === 'string') {
    const owner = value.startsWith(`${FIELD_FORMAT}.`) ? fieldSubjectId(value) : undefined;
    if (owner === undefined) return { value, theirs: false, others: false };
    return owner === subjectId ? { value, theirs: true, others: false } : { value: LEFT_OUT, theirs: false, others: true };
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => walk(item, subjectId));
    return {
      value: items.filter((item) => !aboutSomeoneElse(item)).map((item) => item.value),
      theirs: items.some((item) => item.theirs),
      others: items.some((item) => item.others),
    };
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => [key, walk(item, subjectId)] as const);
    const result: Walked = {
      value: Object.fromEntries(entries.filter(([, item]) => !aboutSomeoneElse(item)).map(([key, item]) => [key, item.value])),
      theirs: entries.some(([, item]) => item.theirs),
      others: entries.some(([, item]) => item.others),
    };
    // A nested object about someone else goes whole; the event itself is kept (it names the subject elsewhere).
    if (!root && result.others && !result.theirs) result.value = LEFT_OUT;
    return result;
  }
  return { value, theirs: false, others: false };
}

function aboutSomeoneElse(item: Walked): boolean {
  return item.value === LEFT_OUT || (item.others && !item.theirs);
}
