import { describe, expect, it } from 'vitest'
import type { OwnerDigest } from '../../src/app/digest.ts'
import { escapeHtml, renderDigestMessage, type MessageContext } from '../../src/app/digest-message.ts'
import { d } from '../domain/builders.ts'

const CTX: MessageContext = { workbook: 'Riverbend plan.xlsx', district: 'Riverbend Unified', asOf: d('2026-11-24'), dueSoonDays: 7, appUrl: 'http://127.0.0.1:5170/' }

const SCRIPT = '<script>alert("x")</script>'

function digest(over: Partial<OwnerDigest> = {}): OwnerDigest {
  return {
    owner: { key: 'ana@d.org', name: 'Ana Díaz', email: 'ana+plan@d.org', department: 'Human Resources' },
    overdue: [{ id: 'ST-0041', wigId: 'WIG-04', title: 'Post the spring vacancies', dueDate: d('2026-11-20'), rawStatus: 'In progress', percentComplete: 40, days: 4 }],
    dueSoon: [{ id: 'ST-0042', wigId: 'WIG-04', title: 'Call references', dueDate: d('2026-11-24'), rawStatus: 'Not started', percentComplete: null, days: 0 }],
    checkIns: [
      { kind: 'Measure', id: 'M-07', wigId: 'WIG-04', name: 'Applicants interviewed in 7 days', cadence: 'Weekly', reason: 'due', latest: d('2026-11-10'), latestNote: SCRIPT, dueOn: d('2026-11-17') },
    ],
    utilization: 'Human Resources: 1 of 2 step owners (50%) and 3 of 4 open steps (75%) updated in the last 30 days.',
    ...over,
  }
}

describe('renderDigestMessage', () => {
  it('escapes every value: a note holding <script> is text, never markup', () => {
    const m = renderDigestMessage(
      digest({
        owner: { key: 'x', name: `<b>Ana</b> & "co"`, email: 'ana@d.org', department: '' },
        overdue: [{ id: 'ST-1', wigId: 'W"><img src=x onerror=alert(1)>', title: SCRIPT, dueDate: d('2026-11-20'), rawStatus: SCRIPT, percentComplete: null, days: 4 }],
      }),
      { ...CTX, workbook: `</title>${SCRIPT}`, district: "O'Brien <District>" },
    )
    expect(m.html).not.toMatch(/<script/i)
    expect(m.html).not.toMatch(/<img/i)
    expect(m.html).not.toContain('<b>Ana</b>')
    expect(m.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
    expect(m.html).toContain('&lt;b&gt;Ana&lt;/b&gt; &amp; &quot;co&quot;')
    expect(m.html).toContain('O&#39;Brien &lt;District&gt;')
    // The WIG id in a link is encoded into the URL, then escaped into the attribute.
    expect(m.html).toContain('#/wig/W%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"')
    // The plain part is text: the note reads as written.
    expect(m.text).toContain(`(last note: "${SCRIPT}")`)
  })

  it('is a whole accessible page: language, title, one h1, a heading per section, lists, link text that says where it goes', () => {
    const { html } = renderDigestMessage(digest(), CTX)
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/)
    expect(html).toContain('<title>Riverbend Unified updates for Ana Díaz: 1 overdue, 1 due soon, 1 check-in due (as of 2026-11-24)</title>')
    expect(html.match(/<h1>/g)).toHaveLength(1)
    expect([...html.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1])).toEqual([
      'Overdue steps (1)',
      'Steps due within 7 days (1)',
      'Check-ins due (1)',
      'Your department',
      'Update the plan',
    ])
    for (const [, text] of html.matchAll(/<a [^>]*>([^<]*)<\/a>/g)) expect(text).toMatch(/^Open /)
    expect(html.match(/<li>/g)).toHaveLength(5)
  })

  it('names the workbook and the as-of date, and links to the owner’s task pane and the tab', () => {
    const m = renderDigestMessage(digest(), CTX)
    for (const part of [m.html, m.text]) {
      expect(part).toContain('From the Riverbend plan.xlsx workbook of Riverbend Unified, as of 2026-11-24.')
      expect(part).toContain('Human Resources: 1 of 2 step owners')
    }
    expect(m.html).toContain('href="http://127.0.0.1:5170/taskpane.html?as=ana%2Bplan%40d.org#/">Open your steps in the task pane</a>')
    expect(m.html).toContain('href="http://127.0.0.1:5170/tab.html?asOf=2026-11-24#/people">Open the plan dashboard</a>')
    expect(m.html).toContain('href="http://127.0.0.1:5170/tab.html?asOf=2026-11-24#/wig/WIG-04">Open WIG-04 in the plan dashboard</a>')
    expect(m.text).toContain('Open your steps in the task pane: http://127.0.0.1:5170/taskpane.html?as=ana%2Bplan%40d.org#/')
    expect(m.to).toEqual({ name: 'Ana Díaz', email: 'ana+plan@d.org' })
  })

  it('words each item: days overdue, due today, why a check-in is wanted', () => {
    const { text } = renderDigestMessage(digest({ checkIns: [...digest().checkIns.map((c) => ({ ...c, latestNote: '' })), { kind: 'WIG', id: 'WIG-04', wigId: 'WIG-04', name: 'Cut days to hire', cadence: '', reason: 'stale', latest: d('2026-09-30'), latestNote: '', dueOn: d('2026-09-30') }] }), CTX)
    expect(text.split('\n').filter((l) => l.startsWith('- '))).toEqual([
      '- Post the spring vacancies (ST-0041, WIG-04): due 2026-11-20, 4 days overdue; In progress, 40% done',
      '- Call references (ST-0042, WIG-04): due today (2026-11-24); Not started',
      '- Applicants interviewed in 7 days (measure M-07 of WIG-04, weekly): last check-in 2026-11-10, next was due 2026-11-17',
      '- Cut days to hire (WIG WIG-04): last check-in 2026-09-30 is stale',
    ])
  })

  it('leaves out empty sections', () => {
    const { html } = renderDigestMessage(digest({ overdue: [], checkIns: [] }), CTX)
    expect(html).not.toContain('Overdue steps')
    expect(html).not.toContain('Check-ins due')
  })
})

describe('escapeHtml', () => {
  it.each([
    ['a & b', 'a &amp; b'],
    [`<"'>`, '&lt;&quot;&#39;&gt;'],
    ['plain', 'plain'],
  ])('%j → %j', (raw, escaped) => expect(escapeHtml(raw)).toBe(escaped))
})
