import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'
import { tally, type CountingProxy, type Tally } from './proxy.ts'

/**
 * The pages' times in Chromium (Debian's, headless, a fresh profile each), served through the
 * counting proxy, which adds its latency to every request (page, assets, config and Graph alike).
 * A time is the page's own `performance.now()` when the condition first held: milliseconds from
 * the start of navigation, read on each animation frame.
 */

/** Where the time went, from the page's resource timings (ms from navigation start). */
export type Breakdown = { documentMs: number; scriptsMs: number; configMs: number | null; graphStartMs: number | null; graphEndMs: number | null }
export type PageTiming = { ms: number | null; warmMs: number | null; graph: Tally | null; breakdown: Breakdown | null; error?: string }

const BREAKDOWN = `(() => {
  const nav = performance.getEntriesByType('navigation')[0]
  const res = performance.getEntriesByType('resource')
  const end = (list) => list.length ? Math.max(...list.map((e) => e.responseEnd)) : null
  const graph = res.filter((e) => e.name.includes('/graph/'))
  return {
    documentMs: nav ? nav.responseEnd : 0,
    scriptsMs: end(res.filter((e) => e.initiatorType === 'script' || e.name.endsWith('.js'))) ?? 0,
    configMs: end(res.filter((e) => e.name.includes('/local-config.json'))),
    graphStartMs: graph.length ? Math.min(...graph.map((e) => e.startTime)) : null,
    graphEndMs: end(graph),
  }
})()`

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

async function withChromium<T>(work: (context: BrowserContext) => Promise<T>): Promise<T> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'pmw-bench-chromium-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    // The pages' CSP forbids eval, which Playwright's in-page polling needs; nothing else changes.
    bypassCSP: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // Nothing leaves the machine: only loopback resolves (Office.js is answered by a route).
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
    ],
  })
  try {
    // taskpane.html loads Office.js from Microsoft's CDN: an empty script here, as in the browser
    // tests (test/browser/office-cdn.ts), so the pane runs as a plain page.
    await context.route('https://appsforoffice.microsoft.com/**', (route) => route.fulfill({ status: 200, contentType: 'application/javascript', body: '// bench: no Office.js\n' }))
    return await work(context)
  } finally {
    await context.close().catch(() => undefined)
    rmSync(userDataDir, { recursive: true, force: true })
  }
}

/**
 * Opens `url` in a new page and waits for `ready` (evaluated in the page on every frame) to give a
 * number: the page's performance.now() then. On timeout, what the page's main region says.
 */
async function timeLoad(context: BrowserContext, url: string, ready: string, arg: unknown, timeoutMs: number): Promise<{ ms: number; breakdown: Breakdown | null }> {
  const page = await context.newPage()
  try {
    await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs })
    try {
      // An expression, not a function: the page runs exactly this text (nothing the bench's compiler added).
      const handle = await page.waitForFunction(`(${ready})(${JSON.stringify(arg)})`, undefined, { polling: 'raf', timeout: timeoutMs })
      const ms = Number(await handle.jsonValue())
      const breakdown = (await page.evaluate(BREAKDOWN).catch(() => null)) as Breakdown | null
      return { ms, breakdown }
    } catch (e) {
      const said = await page
        .locator('main')
        .first()
        .innerText({ timeout: 1_000 })
        .catch(() => '')
      throw new Error(`${e instanceof Error ? e.message.split('\n')[0] : String(e)}${said ? `; the page says: ${said.replace(/\s+/g, ' ').slice(0, 200)}` : ''}`)
    }
  } finally {
    await page.close().catch(() => undefined)
  }
}

/** Every WIG's status is shown: the tab is not busy and its per-status counts add up to every WIG. */
const TAB_READY = `(expected) => {
  const main = document.querySelector('main[aria-busy="false"]')
  if (!main) return false
  const buttons = [...document.querySelectorAll('[aria-label="WIGs per status"] button[data-status]')]
  if (buttons.length === 0) return false
  const sum = buttons.reduce((n, b) => n + (Number(/\\d+/.exec(b.textContent || '')?.[0]) || 0), 0)
  return sum === expected && performance.now()
}`

/** My steps are listed. */
const PANE_READY = `() => document.querySelector('main[aria-busy="false"] a[data-step-id]') !== null && performance.now()`

async function measure(proxy: CountingProxy, url: string, ready: string, arg: unknown, options: { warm: boolean; timeoutMs: number }): Promise<PageTiming> {
  try {
    return await withChromium(async (context) => {
      const mark = proxy.mark()
      const { ms, breakdown } = await timeLoad(context, url, ready, arg, options.timeoutMs)
      const graph = tally(proxy.since(mark))
      // Again in the same profile: assets from the HTTP cache, the workbook read again.
      const warmMs = options.warm ? ((await timeLoad(context, url, ready, arg, options.timeoutMs).catch(() => null))?.ms ?? null) : null
      return { ms, warmMs, graph, breakdown }
    })
  } catch (e) {
    return { ms: null, warmMs: null, graph: null, breakdown: null, error: e instanceof Error ? e.message.split('\n')[0] : String(e) }
  }
}

export function timeTab(proxy: CountingProxy, asOf: string, wigCount: number, options: { warm: boolean; timeoutMs: number }): Promise<PageTiming> {
  return measure(proxy, `${proxy.origin}/tab.html?asOf=${asOf}`, TAB_READY, wigCount, options)
}

export function timeTaskpane(proxy: CountingProxy, owner: string, options: { warm: boolean; timeoutMs: number }): Promise<PageTiming> {
  return measure(proxy, `${proxy.origin}/taskpane.html?as=${encodeURIComponent(owner)}`, PANE_READY, null, options)
}
