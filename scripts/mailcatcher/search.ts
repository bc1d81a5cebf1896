import type { Address, CaughtMessage } from './mailbox';

/**
 * The part of Mailpit's search syntax that is useful here: `to:`, `from:`, `subject:` and free words
 * (each in the subject, the addresses or the text), quoted phrases, all terms required, case ignored.
 */
export function matches(message: CaughtMessage, query: string): boolean {
  return terms(query).every(({ field, value }) => {
    const wanted = value.toLowerCase();
    const inAddresses = (list: Address[]) => list.some((a) => `${a.name} <${a.address}>`.toLowerCase().includes(wanted));
    switch (field) {
      case 'to':
        return inAddresses([...message.to, ...message.cc, ...message.bcc]) || message.envelopeTo.some((a) => a.toLowerCase().includes(wanted));
      case 'from':
        return inAddresses(message.from ? [message.from] : []);
      case 'subject':
        return message.subject.toLowerCase().includes(wanted);
      default:
        return [message.subject, message.text, ...[message.from, ...message.to].map((a) => (a ? `${a.name} <${a.address}>` : ''))].some((s) => s.toLowerCase().includes(wanted));
    }
  });
}

const FIELDS = new Set(['to', 'from', 'subject']);

function terms(query: string): { field: string | null; value: string }[] {
  const found: { field: string | null; value: string }[] = [];
  for (const match of query.matchAll(/(?:(\w+):)?(?:"([^"]*)"|(\S+))/g)) {
    const field = match[1]?.toLowerCase();
    const value = match[2] ?? match[3] ?? '';
    if (!value) continue;
    // An unknown `word:` is no field: the whole term is a free word.
    if (field && FIELDS.has(field)) found.push({ field, value });
    else found.push({ field: null, value: match[1] ? `${match[1]}:${value}` : value });
  }
  return found;
}
