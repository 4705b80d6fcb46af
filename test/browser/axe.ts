import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

/**
 * axe-core run in the page directly: injected once per document, asked for violations only.
 * (@axe-core/playwright re-injects and serialises everything on each call: 2-3 s a page here
 * against 0.3-0.5 s, and it warns on Node 20.)
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

export const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] as const

export type Violation = { id: string; impact: string | null; targets: string[] }

export async function axeViolations(page: Page, tags: readonly string[] = WCAG_22_AA): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE)
  return page.evaluate(async (values) => {
    type AxeResult = { violations: { id: string; impact?: string | null; nodes: { target: unknown[] }[] }[] }
    const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<AxeResult> } }).axe
    const result = await axe.run(document, { runOnly: { type: 'tag', values }, resultTypes: ['violations'] })
    return result.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, targets: v.nodes.map((n) => n.target.map(String).join(' ')) }))
  }, [...tags])
}

/** What WCAG conformance here means: no serious or critical violation. */
export const seriousOrCritical = (violations: readonly Violation[]): string[] =>
  violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.targets.slice(0, 3).join(', ')}`)
