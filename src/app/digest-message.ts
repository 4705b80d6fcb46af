import type { IsoDate } from '../domain/dates.ts'
import type { DigestCheckIn, DigestStep, OwnerDigest } from './digest.ts'

/**
 * An owner's digest as a message: accessible HTML (a language, one h1, a heading per section,
 * lists, link text that says where it goes) and the same content as plain text, for the
 * multipart/alternative a mail client picks from. Every value from the workbook is escaped
 * (HTML) or left as text (plain part); URLs are built from encoded parts.
 */

export type MessageContext = {
  /** The workbook's name, as people know it ("pm-workbook.xlsx", "Riverbend plan 2026-27"). */
  workbook: string
  district: string
  asOf: IsoDate
  dueSoonDays: number
  /** Where the pages are served, ending in "/" (e.g. "https://plan.riverbend.example/pm-workbook/"). */
  appUrl: string
  /** BCP 47 language of the text below. */
  lang?: string
}

export type DigestMessage = {
  to: { name: string; email: string }
  subject: string
  html: string
  text: string
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c)
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

export function taskPaneUrl(appUrl: string, email: string): string {
  return `${appUrl}taskpane.html?as=${encodeURIComponent(email)}#/`
}

export function tabUrl(appUrl: string, asOf: IsoDate, wigId?: string): string {
  return `${appUrl}tab.html?asOf=${encodeURIComponent(asOf)}#/${wigId === undefined ? 'people' : `wig/${encodeURIComponent(wigId)}`}`
}

export function digestSubject(digest: OwnerDigest, ctx: MessageContext): string {
  const parts = [
    digest.overdue.length > 0 ? `${digest.overdue.length} overdue` : '',
    digest.dueSoon.length > 0 ? `${digest.dueSoon.length} due soon` : '',
    digest.checkIns.length > 0 ? plural(digest.checkIns.length, 'check-in') + ' due' : '',
  ].filter(Boolean)
  return `${ctx.district || 'Plan'} updates for ${digest.owner.name}: ${parts.join(', ')} (as of ${ctx.asOf})`
}

function stepLine(s: DigestStep, overdue: boolean): string {
  const when = s.dueDate === null ? '' : overdue ? `due ${s.dueDate}, ${plural(s.days, 'day')} overdue` : s.days === 0 ? `due today (${s.dueDate})` : `due ${s.dueDate}, in ${plural(s.days, 'day')}`
  const done = s.percentComplete === null ? '' : `, ${Math.round(s.percentComplete)}% done`
  return `${s.title} (${s.id}, ${s.wigId}): ${when}; ${s.rawStatus || 'no status'}${done}`
}

function checkInLine(c: DigestCheckIn): string {
  const what = c.kind === 'WIG' ? `WIG ${c.id}` : `measure ${c.id} of ${c.wigId}`
  const cadence = c.cadence === '' ? '' : `, ${c.cadence.toLowerCase()}`
  const why =
    c.reason === 'none' ? 'no check-in yet' : c.reason === 'stale' ? `last check-in ${c.latest ?? ''} is stale` : `last check-in ${c.latest ?? ''}, next was due ${c.dueOn}`
  const note = c.latestNote === '' ? '' : ` (last note: "${c.latestNote}")`
  return `${c.name} (${what}${cadence}): ${why}${note}`
}

/** One owner's digest as a message. */
export function renderDigestMessage(digest: OwnerDigest, ctx: MessageContext): DigestMessage {
  const subject = digestSubject(digest, ctx)
  const pane = taskPaneUrl(ctx.appUrl, digest.owner.email)
  const tab = tabUrl(ctx.appUrl, ctx.asOf)
  const intro = `From the ${ctx.workbook} workbook${ctx.district ? ` of ${ctx.district}` : ''}, as of ${ctx.asOf}.`
  const sections: { heading: string; lines: { text: string; wigId: string }[] }[] = [
    { heading: `Overdue steps (${digest.overdue.length})`, lines: digest.overdue.map((s) => ({ text: stepLine(s, true), wigId: s.wigId })) },
    { heading: `Steps due within ${plural(ctx.dueSoonDays, 'day')} (${digest.dueSoon.length})`, lines: digest.dueSoon.map((s) => ({ text: stepLine(s, false), wigId: s.wigId })) },
    { heading: `Check-ins due (${digest.checkIns.length})`, lines: digest.checkIns.map((c) => ({ text: checkInLine(c), wigId: c.wigId })) },
  ].filter((s) => s.lines.length > 0)

  const e = escapeHtml
  const html = [
    '<!doctype html>',
    `<html lang="${e(ctx.lang ?? 'en')}">`,
    '<head><meta charset="utf-8">',
    `<title>${e(subject)}</title>`,
    // Links alone on a line get room around them: WCAG 2.2 target size (24 px) for a finger.
    '<style>li { margin: 8px 0; line-height: 1.5; }</style>',
    '</head>',
    '<body>',
    `<h1>Plan updates for ${e(digest.owner.name)}</h1>`,
    `<p>${e(intro)}</p>`,
    ...sections.flatMap((s) => [
      `<h2>${e(s.heading)}</h2>`,
      '<ul>',
      ...s.lines.map((l) => `<li>${e(l.text)} <a href="${e(tabUrl(ctx.appUrl, ctx.asOf, l.wigId))}">Open ${e(l.wigId)} in the plan dashboard</a></li>`),
      '</ul>',
    ]),
    '<h2>Your department</h2>',
    `<p>${e(digest.utilization)}</p>`,
    '<h2>Update the plan</h2>',
    '<ul>',
    `<li><a href="${e(pane)}">Open your steps in the task pane</a></li>`,
    `<li><a href="${e(tab)}">Open the plan dashboard</a></li>`,
    '</ul>',
    '</body>',
    '</html>',
  ].join('\n')

  const text = [
    `Plan updates for ${digest.owner.name}`,
    intro,
    ...sections.flatMap((s) => ['', s.heading, ...s.lines.map((l) => `- ${l.text}`)]),
    '',
    'Your department',
    digest.utilization,
    '',
    `Open your steps in the task pane: ${pane}`,
    `Open the plan dashboard: ${tab}`,
  ].join('\n')

  return { to: { name: digest.owner.name, email: digest.owner.email }, subject, html, text }
}
