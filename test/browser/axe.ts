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

/**
 * The WCAG 2.2 AA rules a theme or a viewport width can change the outcome of: a theme swaps
 * colours only and a width moves boxes, while names, roles, labels and structure stay as they
 * are. A view is checked once against every rule, and in each other theme and width against these.
 */
export const THEME_AND_WIDTH_RULES = ['color-contrast', 'link-in-text-block', 'target-size'] as const

export type AxeScope = { tags: readonly string[] } | { rules: readonly string[] }

/** `within`: a CSS selector to check only that part of the page (a panel), rather than the whole document. */
export async function axeViolations(page: Page, scope: AxeScope = { tags: WCAG_22_AA }, within?: string): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE)
  const runOnly = 'tags' in scope ? { type: 'tag', values: [...scope.tags] } : { type: 'rule', values: [...scope.rules] }
  return page.evaluate(
    async ([only, selector]) => {
      type AxeResult = { violations: { id: string; impact?: string | null; nodes: { target: unknown[] }[] }[] }
      const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<AxeResult> } }).axe
      const result = await axe.run(selector === null ? document : { include: [selector] }, { runOnly: only, resultTypes: ['violations'] })
      return result.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, targets: v.nodes.map((n) => n.target.map(String).join(' ')) }))
    },
    [runOnly, within ?? null] as const,
  )
}

/** Every rule for the first theme at the first width; the rules a theme or width can change otherwise. */
export const axeScopeFor = (firstThemeAndWidth: boolean): AxeScope => (firstThemeAndWidth ? { tags: WCAG_22_AA } : { rules: THEME_AND_WIDTH_RULES })

/** What WCAG conformance here means: no serious or critical violation. */
export const seriousOrCritical = (violations: readonly Violation[]): string[] =>
  violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.targets.slice(0, 3).join(', ')}`)
