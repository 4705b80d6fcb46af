import type { OutboxMessage } from '../persistence/outbox.ts'
import { SECURITY_HEADERS } from './static-files.ts'

/**
 * The outbox pages at `/outbox` (like a mail catcher's inbox): a list of every message the local
 * server accepted, newest first, and each message on a page of its own with its plain text and
 * its HTML. Every value is escaped; a message's HTML is served apart, at `/outbox/{id}/html`, with
 * a Content-Security-Policy `sandbox` that runs no script, inside a sandboxed frame.
 */

export type Page = { status: number; headers: Record<string, string>; body: string }

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const e = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c)

const STYLE = `
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #fff; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 0.5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 0.4rem 0.6rem; border-bottom: 1px solid #c8c8c8; }
caption { text-align: left; font-weight: 600; padding: 0.4rem 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f3f3f3; padding: 0.75rem; border: 1px solid #c8c8c8; }
iframe { width: 100%; min-height: 32rem; border: 1px solid #8a8a8a; }
a { color: #0f5db5; }
a:focus-visible { outline: 2px solid #0f5db5; outline-offset: 2px; }
@media (prefers-color-scheme: dark) {
  body { color: #f0f0f0; background: #1f1f1f; }
  th, td { border-color: #5c5c5c; }
  pre { background: #2b2b2b; border-color: #5c5c5c; }
  a { color: #8cc4ff; }
  a:focus-visible { outline-color: #8cc4ff; }
}`

function page(title: string, content: string, status = 200): Page {
  const body = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    content,
    '</main>',
    '</body>',
    '</html>',
  ].join('\n')
  return { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }, body }
}

const recipients = (m: OutboxMessage): string => m.to.map((t) => (t.name ? `${t.name} <${t.email}>` : t.email)).join(', ')
const kindText = (m: OutboxMessage): string => (m.kind === 'mail' ? 'Email' : 'Teams notification')
const when = (iso: string): string => iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC')

export function outboxIndexPage(messages: readonly OutboxMessage[], dir: string): Page {
  const rows = messages.map(
    (m) =>
      `<tr><td>${e(when(m.receivedAt))}</td><td>${e(kindText(m))}</td><td>${e(recipients(m))}</td><td><a href="/outbox/${encodeURIComponent(m.id)}">${e(m.subject || '(no subject)')}</a></td></tr>`,
  )
  const content = [
    '<h1>Outbox</h1>',
    `<p>Email and Teams notifications sent through this local server (update reminders) are kept here and in <code>${e(dir)}</code>; none left this computer.</p>`,
    '<p><a href="/">Start page</a> · <a href="/tab.html#/people">Plan dashboard, People</a></p>',
    messages.length === 0
      ? '<p>No messages yet. Send reminders from the dashboard’s People view, or run <code>pm-workbook remind</code> with this server’s workbook URL.</p>'
      : [
          '<table>',
          `<caption>${messages.length} message${messages.length === 1 ? '' : 's'}, newest first</caption>`,
          '<thead><tr><th scope="col">Received</th><th scope="col">Kind</th><th scope="col">To</th><th scope="col">Subject</th></tr></thead>',
          '<tbody>',
          ...rows,
          '</tbody>',
          '</table>',
        ].join('\n'),
  ].join('\n')
  return page('Outbox', content)
}

export function outboxMessagePage(m: OutboxMessage): Page {
  const fields = [
    ['Kind', e(kindText(m))],
    ['Received', e(when(m.receivedAt))],
    ['To', e(recipients(m))],
    ['Subject', e(m.subject || '(no subject)')],
    ...(m.link ? [['Link in Teams', `<a href="${e(m.link)}">${e(m.link)}</a>`]] : []),
    ...(m.pageUrl ? [['Opens', `<a href="${e(m.pageUrl)}">${e(m.pageUrl)}</a>`]] : []),
  ]
  const content = [
    '<p><a href="/outbox">← Outbox</a></p>',
    `<h1>${e(m.subject || '(no subject)')}</h1>`,
    '<dl>',
    ...fields.map(([name, value]) => `<dt>${name}</dt><dd>${value}</dd>`),
    '</dl>',
    ...(m.text ? ['<h2>Plain text</h2>', `<pre>${e(m.text)}</pre>`] : []),
    ...(m.html !== null
      ? ['<h2>HTML</h2>', `<p><a href="/outbox/${encodeURIComponent(m.id)}/html">Open the HTML message on its own</a></p>`, `<iframe sandbox title="The message as HTML" src="/outbox/${encodeURIComponent(m.id)}/html"></iframe>`]
      : []),
  ].join('\n')
  return page(`${m.subject || 'Message'} (outbox)`, content)
}

/** A message's own HTML, never able to run a script or load anything (CSP sandbox, nothing but inline style allowed). */
export function outboxHtml(m: OutboxMessage): Page {
  return {
    status: 200,
    headers: {
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Content-Security-Policy': "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:",
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
    },
    body: m.html ?? '',
  }
}

export function outboxNotFound(): Page {
  return page('Not in the outbox', '<p><a href="/outbox">← Outbox</a></p>\n<h1>Not in the outbox</h1>\n<p>No message has that address.</p>', 404)
}
