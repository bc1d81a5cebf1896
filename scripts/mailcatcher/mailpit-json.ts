import type { Address, CaughtMessage } from './mailbox';

/** Mailpit's address object. */
const address = (a: Address) => ({ Name: a.name, Address: a.address });

/** A message as Mailpit lists it (GET /api/v1/messages, /api/v1/search). */
export function summaryJson(m: CaughtMessage) {
  return {
    ID: m.id,
    MessageID: m.messageId,
    Read: m.read,
    From: m.from ? address(m.from) : null,
    To: m.to.map(address),
    Cc: m.cc.map(address),
    Bcc: m.bcc.map(address),
    ReplyTo: m.replyTo.map(address),
    Subject: m.subject,
    Created: m.created.toISOString(),
    Tags: [] as string[],
    Size: m.raw.length,
    Attachments: m.attachments.filter((a) => !a.inline).length,
    Snippet: m.text.replace(/\s+/g, ' ').trim().slice(0, 250),
  };
}

/** One page of a list, in Mailpit's envelope. */
export function listJson(all: readonly CaughtMessage[], matching: readonly CaughtMessage[], start: number, limit: number) {
  const page = matching.slice(start, start + limit);
  return {
    total: all.length,
    unread: all.filter((m) => !m.read).length,
    count: page.length,
    messages_count: matching.length,
    start,
    tags: [] as string[],
    messages: page.map(summaryJson),
  };
}

/** A whole message (GET /api/v1/message/{ID}); attachment bytes are at /api/v1/message/{ID}/part/{PartID}. */
export function messageJson(m: CaughtMessage) {
  const part = (a: CaughtMessage['attachments'][number]) => ({ PartID: a.partId, FileName: a.fileName, ContentType: a.contentType, ContentID: a.contentId, Size: a.content.length });
  return {
    ID: m.id,
    MessageID: m.messageId,
    From: m.from ? address(m.from) : null,
    To: m.to.map(address),
    Cc: m.cc.map(address),
    Bcc: m.bcc.map(address),
    ReplyTo: m.replyTo.map(address),
    ReturnPath: m.envelopeFrom,
    Subject: m.subject,
    Date: (m.date ?? m.created).toISOString(),
    Tags: [] as string[],
    Text: m.text,
    HTML: m.html,
    Size: m.raw.length,
    Inline: m.attachments.filter((a) => a.inline).map(part),
    Attachments: m.attachments.filter((a) => !a.inline).map(part),
  };
}
