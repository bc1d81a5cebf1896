import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import mimeFuncs from 'nodemailer/lib/mime-funcs';
import qp from 'nodemailer/lib/qp';

export interface ComposedMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

/** Printable ASCII without the characters that would need quoting or encoding in an address header. */
const PLAIN_ADDRESS_HEADER = /^[\x20-\x7e]*$/;
const HEADER_NAME = /^[A-Za-z0-9-]+$/;

/**
 * The message as an RFC 5322 buffer: multipart/alternative with quoted-printable text and HTML parts.
 *
 * nodemailer's MailComposer builds a message through a chain of streams, a quarter of a millisecond
 * each; sending thousands of invitations, that was the worker's largest single cost. This builds the
 * same structure in one pass with nodemailer's own encoders (quoted-printable, encoded words, folding).
 * Anything outside the simple case (attachments, an empty part, addresses or header values that are
 * not plain ASCII) goes to MailComposer.
 */
export async function composeMail(mail: ComposedMail): Promise<Buffer> {
  const simple =
    !mail.attachments?.length &&
    mail.text !== '' &&
    mail.html !== '' &&
    PLAIN_ADDRESS_HEADER.test(mail.from) &&
    PLAIN_ADDRESS_HEADER.test(mail.to) &&
    PLAIN_ADDRESS_HEADER.test(mail.messageId) &&
    Object.entries(mail.headers).every(([name, value]) => HEADER_NAME.test(name) && PLAIN_ADDRESS_HEADER.test(value));
  if (!simple) {
    const { from, to, subject, text, html, messageId, headers, attachments } = mail;
    return new MailComposer({ from, to, subject, text, html, messageId, headers, attachments }).compile().build();
  }
  const boundary = `--_passerelle_${randomBytes(12).toString('hex')}`;
  const lines = [
    header('Content-Type', `multipart/alternative; boundary="${boundary}"`),
    header('From', mail.from),
    header('To', mail.to),
    header('Subject', encodeWords(oneLine(mail.subject))),
    header('Message-ID', mail.messageId),
    ...Object.entries(mail.headers).map(([name, value]) => header(name, value)),
    header('Date', new Date().toUTCString().replace(/GMT/, '+0000')),
    'MIME-Version: 1.0',
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    quotedPrintable(mail.text),
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    quotedPrintable(mail.html),
    `--${boundary}--`,
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

/**
 * Non-ASCII text as encoded words, the whole value at once as nodemailer does (some clients drop the
 * spaces around a partly encoded value). Quoted-printable: base64 words split characters outside the BMP.
 */
const encodeWords = (value: string): string =>
  (mimeFuncs.encodeWords as (value: string, encoding: 'Q' | 'B', maxLength: number, encodeAll: boolean) => string)(value, 'Q', 52, true);

function header(name: string, value: string): string {
  return mimeFuncs.foldLines(`${name}: ${value}`, 76);
}

function oneLine(value: string): string {
  return value.replace(/\r?\n|\r/g, ' ');
}

function quotedPrintable(content: string): string {
  return qp.wrap(qp.encode(content.replace(/\r?\n|\r/g, '\r\n')), 76);
}
