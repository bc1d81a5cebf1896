import { randomBytes } from 'node:crypto';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';

export interface Address {
  name: string;
  address: string;
}

export interface CaughtAttachment {
  /** Stable within a message: its position among the message's attached parts. */
  partId: string;
  fileName: string;
  contentType: string;
  contentId: string;
  inline: boolean;
  content: Buffer;
}

export interface CaughtMessage {
  id: string;
  messageId: string;
  /** When the catcher received it. */
  created: Date;
  /** The Date header, if any. */
  date: Date | null;
  envelopeFrom: string;
  envelopeTo: string[];
  from: Address | null;
  to: Address[];
  cc: Address[];
  bcc: Address[];
  replyTo: Address[];
  subject: string;
  text: string;
  html: string;
  attachments: CaughtAttachment[];
  raw: Buffer;
  read: boolean;
}

/**
 * The messages caught so far, in memory, newest first; the oldest are dropped past `maxMessages`.
 */
export class Mailbox {
  private readonly messages: CaughtMessage[] = [];
  /** A message per millisecond at most gets a given `created`: Mailpit clients page and filter on it. */
  private lastCreated = 0;

  constructor(private readonly maxMessages = 1000) {}

  async add(raw: Buffer, envelope: { from: string; to: string[] }): Promise<CaughtMessage> {
    const parsed = await simpleParser(raw);
    const now = Math.max(Date.now(), this.lastCreated + 1);
    this.lastCreated = now;
    const message: CaughtMessage = {
      id: randomBytes(11).toString('base64url'),
      messageId: (parsed.messageId ?? '').replace(/^<|>$/g, ''),
      created: new Date(now),
      date: parsed.date ?? null,
      envelopeFrom: envelope.from,
      envelopeTo: envelope.to,
      from: addresses(parsed.from)[0] ?? null,
      to: addresses(parsed.to),
      cc: addresses(parsed.cc),
      bcc: addresses(parsed.bcc),
      replyTo: addresses(parsed.replyTo),
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      html: parsed.html || '',
      attachments: attachmentsOf(parsed),
      raw,
      read: false,
    };
    this.messages.unshift(message);
    this.messages.splice(this.maxMessages);
    return message;
  }

  /** Newest first. */
  all(): readonly CaughtMessage[] {
    return this.messages;
  }

  /** A message by id; `latest` is the newest (as in Mailpit). */
  get(id: string): CaughtMessage | undefined {
    return id === 'latest' ? this.messages[0] : this.messages.find((m) => m.id === id);
  }

  /** Removes the given messages, or all of them. */
  delete(ids?: string[]): void {
    if (!ids) {
      this.messages.splice(0);
      return;
    }
    const doomed = new Set(ids);
    for (let i = this.messages.length - 1; i >= 0; i -= 1) if (doomed.has(this.messages[i].id)) this.messages.splice(i, 1);
  }
}

function addresses(field: AddressObject | AddressObject[] | undefined): Address[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((o) => o.value).flatMap((a) => (a.group ?? [a]).map((m) => ({ name: m.name ?? '', address: m.address ?? '' })));
}

function attachmentsOf(parsed: ParsedMail): CaughtAttachment[] {
  return parsed.attachments.map((a, i) => ({
    partId: String(i + 2), // part 1 is the body, as in a multipart message
    fileName: a.filename ?? `part-${i + 2}`,
    contentType: a.contentType,
    contentId: (a.contentId ?? '').replace(/^<|>$/g, ''),
    inline: a.related || a.contentDisposition === 'inline',
    content: a.content,
  }));
}
