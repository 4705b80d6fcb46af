import { WIG_STATUSES, type WigStatus } from '../domain/model.ts'
import { trajectorySvg } from './chart.ts'
import { count, escapeHtml as esc, longDate, share } from './format.ts'
import { STATUS_COLORS } from './status-style.ts'
import type { BoardStep, BoardView, BoardWig } from './view.ts'

/**
 * The report: one self-contained HTML file of the board view (view.ts). No script, no request:
 * its Content-Security-Policy allows inline styles and nothing else, so it opens offline and
 * nothing in it can run even if a value slipped through. Every value goes through `esc`.
 *
 * Accessible by construction (WCAG 2.2 AA, checked with axe in test/browser/report.test.ts):
 * landmarks, one h1 and nested headings, tables with captions and header cells, the status in
 * words beside its colour, and each chart an image with a text alternative. Print CSS pages it
 * for Print to PDF: a WIG never splits across pages, table headers repeat, pages are numbered.
 */

const STATUS_CLASS: Record<WigStatus, string> = {
  'On track': 's-on-track',
  'At risk': 's-at-risk',
  'Off track': 's-off-track',
  Achieved: 's-achieved',
  Missed: 's-missed',
  'No data': 's-no-data',
  'Not started': 's-not-started',
}

export function renderReport(view: BoardView): string {
  const title = `${view.district || 'Strategic plan'}: ${view.public ? 'progress on the strategic plan' : 'strategic plan progress'}, as of ${longDate(view.asOf)}`
  const pillarIds = view.pillars.map((_, i) => `pillar-${i + 1}`)
  let wigIndex = 0
  const body = [
    '<a class="skip" href="#main">Skip to the report</a>',
    masthead(view),
    nav(view, pillarIds),
    '<main id="main" class="wrap">',
    summary(view),
    ...view.pillars.map((p, i) => {
      const id = pillarIds[i] ?? `pillar-${i + 1}`
      const articles = p.wigs.map((w) => wigArticle(w, view, `wig-${(wigIndex += 1)}`))
      return `<section class="pillar" id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${esc(p.name)}</h2>${articles.join('\n')}</section>`
    }),
    overdue(view),
    '</main>',
    footer(view),
  ]
  return [
    '<!doctype html>',
    topComment(view),
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="generator" content="pm-workbook">',
    `<title>${esc(title)}</title>`,
    `<style>${css(view)}</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n')
}

/** The first thing in the file says what it is and, for a public page, what it leaves out. */
function topComment(view: BoardView): string {
  const said = view.public
    ? `Public edition of the strategic plan progress report, as of ${view.asOf}. It leaves out: ${view.omitted.join('; ')}.`
    : `Strategic plan progress report for the board, as of ${view.asOf}. Internal: it names owners and shows notes.`
  // "--" may not appear inside a comment.
  return `<!-- ${said.replace(/--/g, '- -').replace(/>/g, '')} -->`
}

function masthead(view: BoardView): string {
  const scope = [view.filter.department ? `Department: ${view.filter.department}` : '', view.filter.pillar ? `Pillar: ${view.filter.pillar}` : ''].filter(Boolean)
  const facts = [view.planYear ? `Plan year ${view.planYear}` : '', `As of ${longDate(view.asOf)}`, ...scope].filter(Boolean)
  return [
    '<header class="masthead"><div class="wrap">',
    `<p class="kicker">${view.public ? 'Strategic plan progress: public edition' : 'Strategic plan progress: board report'}</p>`,
    `<h1>${esc(view.district || 'Strategic plan')}</h1>`,
    `<p class="facts-line">${facts.map(esc).join(' · ')}</p>`,
    view.public
      ? `<p class="notice"><strong>This public page leaves out</strong> ${esc(view.omitted.join('; '))}.</p>`
      : `<p class="source">${esc(view.source ? `Read from ${view.source} at ${readAt(view)}.` : `Read at ${readAt(view)}.`)}${view.problems ? ` ${esc(`The workbook has ${count(view.problems, 'problem')}; pm-workbook check lists them.`)}` : ''}</p>`,
    '</div></header>',
  ].join('\n')
}

const readAt = (view: BoardView): string => `${view.readAt.replace('T', ' ').slice(0, 16)} UTC`

function nav(view: BoardView, pillarIds: readonly string[]): string {
  const links = [
    '<li><a href="#summary">Status summary</a></li>',
    ...view.pillars.map((p, i) => `<li><a href="#${pillarIds[i] ?? ''}">${esc(p.name)}</a></li>`),
    `<li><a href="#overdue">${overdueHeading(view)}</a></li>`,
  ]
  return `<nav class="wrap" aria-label="Contents"><ul>${links.join('')}</ul></nav>`
}

function badge(status: WigStatus): string {
  return `<span class="badge ${STATUS_CLASS[status]}">${esc(status)}</span>`
}

function summary(view: BoardView): string {
  const shown = WIG_STATUSES.filter((s) => view.counts[s] > 0)
  const counts = shown.map((s) => `${view.counts[s]} ${s}`)
  const overdueSteps = view.steps.filter((s) => s.overdue).length
  const head = `<tr><th scope="col">Pillar</th>${shown.map((s) => `<th scope="col" class="num">${badge(s)}</th>`).join('')}<th scope="col" class="num">WIGs</th></tr>`
  const rows = view.pillars.map((p, i) => {
    const cells = shown.map((s) => `<td class="num">${p.wigs.filter((w) => w.status === s).length || ''}</td>`)
    return `<tr><th scope="row"><a href="#pillar-${i + 1}">${esc(p.name)}</a></th>${cells.join('')}<td class="num">${p.wigs.length}</td></tr>`
  })
  const total = `<tr><th scope="row">All pillars</th>${shown.map((s) => `<td class="num">${view.counts[s]}</td>`).join('')}<td class="num">${view.wigs.length}</td></tr>`
  return [
    '<section id="summary" aria-labelledby="summary-h">',
    '<h2 id="summary-h">Status summary</h2>',
    `<p class="lead">${esc(`${count(view.wigs.length, 'WIG')}${counts.length > 0 ? `: ${counts.join(', ')}` : ''}. ${count(overdueSteps, 'action step')} overdue of ${view.steps.length}.`)}</p>`,
    view.wigs.length === 0 ? '<p>No WIG matches.</p>' : `<table class="counts"><caption>WIGs by pillar and status</caption><thead>${head}</thead><tbody>${rows.join('')}</tbody><tfoot>${total}</tfoot></table>`,
    '<p class="terms"><strong>Progress</strong> is the share of the way from baseline to target. <strong>Pace</strong> is progress against where the WIG was expected to be by its latest check-in; the status rules use pace. A status set by hand is shown with what the rules say.</p>',
    '</section>',
  ].join('\n')
}

function statusNotes(w: BoardWig): string[] {
  return [
    w.manual ? `Set by hand; the rules say ${w.computedStatus}.` : '',
    w.stale && w.staleDays !== null ? `Stale: the latest check-in is ${w.staleDays} days old.` : '',
    w.stepsAreCurrentNotAsOf ? "Step statuses are today's: the workbook keeps no history of them." : '',
  ].filter(Boolean)
}

function wigArticle(w: BoardWig, view: BoardView, id: string): string {
  const facts: [string, string][] = [['Goal', w.goal || 'No target date']]
  if (w.kind === 'Numeric') {
    facts.push(['Latest', w.latest ? `${w.latest.text} on ${longDate(w.latest.date)}` : 'No check-in yet'])
    if (w.expected) facts.push(['Expected then', w.expected.text])
  }
  if (w.progress !== null) facts.push(['Progress', `${share(w.progress)} of the way${w.expectedProgress !== null ? ` (expected ${share(w.expectedProgress)})` : ''}`])
  if (w.pace !== null) facts.push(['Pace', share(w.pace)])
  const steps = w.steps.total === 0 ? 'None' : `${w.steps.done} of ${w.steps.total} done${w.steps.overdue > 0 ? `, ${w.steps.overdue} overdue` : ''}`
  facts.push(['Action steps', steps])
  if (!view.public) facts.push(['Owner', w.owner || 'Not recorded'])
  facts.push(['Department', w.department || 'Not recorded'])
  if (w.strategy) facts.push(['Strategy', w.strategy])
  if (w.note) facts.push(['Status note', w.note])
  const notes = statusNotes(w)
  return [
    `<article class="wig" id="${id}" aria-labelledby="${id}-h" data-wig="${esc(w.id)}" data-status="${esc(w.status)}">`,
    `<h3 id="${id}-h"><span class="wig-id">${esc(w.id)}</span> ${esc(w.title)}</h3>`,
    `<p class="status-line">${badge(w.status)}${notes.length > 0 ? ` <span class="status-notes">${esc(notes.join(' '))}</span>` : ''}</p>`,
    '<div class="wig-body">',
    `<dl class="facts">${facts.map(([dt, dd]) => `<div><dt>${esc(dt)}</dt><dd>${esc(dd)}</dd></div>`).join('')}</dl>`,
    `<figure>${trajectorySvg(w, view.asOf, `${id}-chart`)}${hasChart(w) ? `<figcaption>${esc(legend(w))}</figcaption>` : ''}</figure>`,
    '</div>',
    '</article>',
  ].join('')
}

/** Whether the chart draws lines (else it says in words that there is nothing to draw yet, and needs no legend). */
function hasChart(w: BoardWig): boolean {
  return w.kind === 'Milestone' ? (w.milestone?.dueDates.length ?? 0) > 0 : w.readings.length > 0 || w.line !== null
}

function legend(w: BoardWig): string {
  return w.kind === 'Milestone'
    ? 'Dashed line: action steps due by each date. Square: steps done by the as-of date (dotted line).'
    : 'Solid line with dots: check-ins. Dashed line: the expected path to the target (diamond). Dotted line: the as-of date.'
}

const overdueHeading = (view: BoardView): string => (view.public ? 'Overdue action steps by department' : 'Overdue action steps by owner')

function overdue(view: BoardView): string {
  const groups = view.overdue.map((g, i) => {
    const id = `overdue-${i + 1}`
    const rows = g.steps.map((s) => stepRow(s))
    return [
      `<section aria-labelledby="${id}-h">`,
      `<h3 id="${id}-h">${esc(g.label)}: ${esc(count(g.steps.length, 'overdue step'))}</h3>`,
      `<table class="steps"><caption class="visually-hidden">${esc(`Overdue action steps: ${g.label}`)}</caption>`,
      '<colgroup><col class="c-step"><col class="c-wig"><col class="c-due"><col class="c-late"><col class="c-status"><col class="c-done"></colgroup>',
      '<thead><tr><th scope="col">Action step</th><th scope="col">WIG</th><th scope="col">Due</th><th scope="col" class="num">Days overdue</th><th scope="col">Status</th><th scope="col" class="num">Complete</th></tr></thead>',
      `<tbody>${rows.join('')}</tbody></table>`,
      '</section>',
    ].join('')
  })
  return [
    '<section id="overdue" aria-labelledby="overdue-h">',
    `<h2 id="overdue-h">${overdueHeading(view)}</h2>`,
    groups.length === 0 ? `<p>No action step is overdue as of ${esc(longDate(view.asOf))}.</p>` : `<p>Due before ${esc(longDate(view.asOf))} and neither done nor cancelled, the longest overdue first.</p>`,
    ...groups,
    '</section>',
  ].join('\n')
}

function stepRow(s: BoardStep): string {
  return [
    '<tr>',
    `<td>${esc(s.title)}</td>`,
    `<td><span class="nowrap">${esc(s.wigId)}</span></td>`,
    `<td class="nowrap">${s.dueDate ? esc(longDate(s.dueDate)) : ''}</td>`,
    `<td class="num">${s.daysOverdue ?? ''}</td>`,
    `<td>${esc(s.status)}</td>`,
    `<td class="num">${s.percentComplete === null ? '' : esc(`${Math.round(s.percentComplete)}%`)}</td>`,
    '</tr>',
  ].join('')
}

function footer(view: BoardView): string {
  const source = view.public ? '' : view.source ? ` Read from ${view.source}.` : ''
  return `<footer class="wrap"><p>${esc(`Made with pm-workbook from the district's plan workbook, as of ${longDate(view.asOf)}, read ${readAt(view)}.${source} Statuses follow the district's status rules, the same as in the Teams tab and the CLI.`)}</p></footer>`
}

/** A CSS string: quotes and backslashes escaped, and `<` too, so nothing in it can close the style element. */
function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&').replace(/[\r\n\f]+/g, ' ').replace(/</g, '\\3c ')}"`
}

function css(view: BoardView): string {
  const statusRules = WIG_STATUSES.map((s) => `.${STATUS_CLASS[s]}{background:#${STATUS_COLORS[s].fill};color:#${STATUS_COLORS[s].text}}`).join('')
  const running = `${view.district || 'Strategic plan'}${view.public ? ', public edition' : ''}, as of ${longDate(view.asOf)}`
  return `
:root{color-scheme:light;--ink:#1b1b1b;--muted:#474747;--rule:#c4c4c4;--accent:#1f4e9c}
*{box-sizing:border-box}
body{margin:0;background:#fff;color:var(--ink);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.wrap{max-width:1100px;margin:0 auto;padding:0 24px}
.skip{position:absolute;left:-10000px;top:8px;background:#fff;padding:4px 8px}
.skip:focus{left:8px}
.masthead{border-bottom:4px solid var(--accent);padding:20px 0 12px}
.kicker{margin:0;text-transform:uppercase;letter-spacing:.06em;font-size:.8rem;color:var(--muted);font-weight:600}
h1{font-size:1.9rem;margin:.15em 0}
h2{font-size:1.4rem;margin:1.8em 0 .6em;padding-bottom:.2em;border-bottom:1px solid var(--rule)}
h3{font-size:1.08rem;margin:0 0 .35em}
.facts-line{margin:.2em 0;font-size:1.05rem}
.source{color:var(--muted);margin:.4em 0 0;font-size:.9rem}
.notice{background:#fff6d9;border-left:4px solid #7a5c00;padding:8px 12px;margin:.6em 0 0}
nav ul{list-style:none;margin:12px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:4px 18px}
a{color:var(--accent)}
.lead{font-size:1.05rem}
.terms{color:var(--muted);font-size:.9rem}
table{border-collapse:collapse;width:100%;margin:.4em 0 1em}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{text-align:left;vertical-align:top;padding:5px 8px;border-bottom:1px solid var(--rule)}
thead th{background:#edf1f8;border-bottom:2px solid #8ea9db}
.num{text-align:right}
.nowrap{white-space:nowrap}
.counts td,.counts th{white-space:nowrap}
.counts .num{text-align:center}
.steps{table-layout:fixed}
.c-step{width:44%}.c-wig{width:10%}.c-due{width:14%}.c-late{width:11%}.c-status{width:12%}.c-done{width:9%}
.badge{display:inline-block;padding:1px 8px;border-radius:4px;font-weight:700;font-size:.88rem;border:1px solid currentColor;white-space:nowrap}
${statusRules}
.wig{border:1px solid var(--rule);border-radius:6px;padding:12px 16px;margin:14px 0;break-inside:avoid}
.wig-id{color:var(--muted);font-weight:600;margin-right:.3em}
.status-line{margin:.2em 0 .6em}
.status-notes{color:var(--muted);margin-left:.4em}
.wig-body{display:flex;flex-wrap:wrap;gap:10px 24px;align-items:flex-start}
.facts{flex:1 1 300px;display:grid;grid-template-columns:max-content 1fr;gap:3px 14px;margin:0}
.facts div{display:contents}
.facts dt{font-weight:600;color:var(--muted)}
.facts dd{margin:0}
figure{flex:0 1 400px;margin:0}
svg.chart{display:block;width:100%;max-width:420px;height:auto}
figcaption{font-size:.82rem;color:var(--muted)}
footer{color:var(--muted);font-size:.85rem;border-top:1px solid var(--rule);margin-top:2em;padding-top:.6em;padding-bottom:2em}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (forced-colors:active){.badge{border-color:CanvasText}}
@page{size:letter;margin:16mm 14mm 18mm;@bottom-left{content:${cssString(running)};font:8pt sans-serif;color:#444}@bottom-right{content:"Page " counter(page) " of " counter(pages);font:8pt sans-serif;color:#444}}
@media print{
body{font-size:10pt}
.wrap{max-width:none;padding:0}
nav,.skip{display:none}
.masthead{padding-top:0}
h2{break-after:avoid}
.wig,tr,figure{break-inside:avoid}
thead{display:table-header-group}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
a{color:inherit;text-decoration:none}
figure{flex-basis:340px}
}`
}
