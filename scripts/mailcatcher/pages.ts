import type { Address, CaughtMessage } from './mailbox';

/** The catcher's two pages: the list of messages and one message with its HTML, text and attachments. */

export function listPage(messages: readonly CaughtMessage[]): string {
  const rows = messages
    .map(
      (m) => `<tr>
  <td>${escape(who(m.from ? [m.from] : []))}</td>
  <td>${escape(who(m.to))}</td>
  <td><a href="/messages/${encodeURIComponent(m.id)}">${escape(m.subject || '(no subject)')}</a>${attachmentNote(m)}</td>
  <td class="date">${escape(m.created.toISOString().replace('T', ' ').slice(0, 19))} UTC</td>
</tr>`,
    )
    .join('\n');
  return layout(
    'Mail catcher',
    `<h1>Mail catcher <small>${messages.length} message${messages.length === 1 ? '' : 's'}, newest first</small></h1>
<p class="hint">Every e-mail sent to this SMTP server is kept here, in memory, until the catcher stops. <a href="/">Refresh</a></p>
<table>
<thead><tr><th>From</th><th>To</th><th>Subject</th><th>Received</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="4" class="empty">No messages yet.</td></tr>'}
</tbody>
</table>`,
  );
}

export function messagePage(m: CaughtMessage): string {
  const attachments = m.attachments.filter((a) => !a.inline);
  const download = (a: CaughtMessage['attachments'][number]) =>
    `<li><a href="/api/v1/message/${encodeURIComponent(m.id)}/part/${encodeURIComponent(a.partId)}" download="${escape(a.fileName)}">${escape(a.fileName)}</a> <span class="meta">${escape(a.contentType)}, ${size(a.content.length)}</span></li>`;
  return layout(
    m.subject || '(no subject)',
    `<p><a href="/">&larr; All messages</a></p>
<h1>${escape(m.subject || '(no subject)')}</h1>
<table class="headers">
<tr><th>From</th><td>${escape(who(m.from ? [m.from] : []))}</td></tr>
<tr><th>To</th><td>${escape(who(m.to))}</td></tr>
${m.cc.length ? `<tr><th>Cc</th><td>${escape(who(m.cc))}</td></tr>` : ''}
<tr><th>Date</th><td>${escape((m.date ?? m.created).toISOString())}</td></tr>
<tr><th>Attachments</th><td>${attachments.length ? `<ul>${attachments.map(download).join('')}</ul>` : 'none'}</td></tr>
</table>
<h2>HTML</h2>
${m.html ? `<iframe sandbox title="HTML body" srcdoc="${escape(m.html)}"></iframe>` : '<p class="empty">No HTML part.</p>'}
<h2>Text</h2>
<pre>${escape(m.text) || '<span class="empty">No text part.</span>'}</pre>
<p><a href="/api/v1/message/${encodeURIComponent(m.id)}/raw">Source</a></p>`,
  );
}

export function notFoundPage(): string {
  return layout('Not found', '<p>No such message (the catcher keeps messages in memory only). <a href="/">All messages</a></p>');
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
body { font: 15px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #222; }
h1 small { font-size: 0.6em; color: #666; font-weight: normal; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.35rem 0.6rem; border-bottom: 1px solid #ddd; vertical-align: top; }
thead th { background: #f3f3f3; }
table.headers th { width: 8rem; color: #555; }
td.date, .meta, .hint, .empty { color: #666; }
ul { margin: 0; padding-left: 1.2rem; }
iframe { width: 100%; height: 28rem; border: 1px solid #ccc; }
pre { white-space: pre-wrap; background: #f7f7f7; padding: 0.8rem; border: 1px solid #ddd; }
</style></head>
<body>
${body}
</body></html>`;
}

/** No icon: not every machine has a font for one. */
function attachmentNote(m: CaughtMessage): string {
  const count = m.attachments.filter((a) => !a.inline).length;
  return count === 0 ? '' : ` <span class="meta">(${count} attachment${count === 1 ? '' : 's'})</span>`;
}

function who(list: Address[]): string {
  return list.map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(', ');
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
