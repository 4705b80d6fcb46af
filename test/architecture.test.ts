import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkTree, folderOf, KINDS, sourceFiles, type Violation } from './architecture/guard.ts'
import { PENDING } from './architecture/rules.ts'

/**
 * The dependency rule of DESIGN.md §2 (the table in test/architecture/rules.ts), checked on every
 * import under src/, and on planted violations in test/fixtures/architecture/src to prove the guard
 * sees each kind. Each environment's types: test/architecture/environments.test.ts.
 */

const SRC = resolve(import.meta.dirname, '../src')
const PLANTED = resolve(import.meta.dirname, 'fixtures/architecture/src')

const pendingFor = (v: Violation) => PENDING.find((p) => v.kind === 'folder' && folderOf(v.file) === p.from && v.to === p.to)

/** `file:line kind` for each line of the planted tree that ends in `✗ kind`. */
function plantedMarks(root: string): string[] {
  return sourceFiles(root).flatMap((rel) =>
    readFileSync(join(root, rel), 'utf8')
      .split('\n')
      .flatMap((line, index) => {
        const kind = /✗ (\S+)\s*$/.exec(line)?.[1]
        return kind ? [`${rel}:${index + 1} ${kind}`] : []
      }),
  )
}

const brief = (v: Violation) => `${v.file}:${v.line} ${v.kind}`

describe('architecture: imports follow the dependency rule of DESIGN.md §2', () => {
  const tree = checkTree(SRC)

  it('no import under src/ breaks the rule, besides the pending exceptions in rules.ts', () => {
    expect(tree.filter((v) => !pendingFor(v)).map((v) => v.message)).toEqual([])
  })

  it.each(PENDING.map((p) => [`${p.from} → ${p.to}`, p] as const))('the pending exception %s still occurs (remove it once fixed)', (_, p) => {
    expect(tree.filter((v) => pendingFor(v) === p).length).toBeGreaterThan(0)
  })

  it('reports every planted violation at its line, and nothing else in the planted tree', () => {
    const found = checkTree(PLANTED).map(brief).sort()
    expect(found).toEqual(plantedMarks(PLANTED).sort())
  })

  it('the planted tree has a violation of every kind', () => {
    const planted = new Set(plantedMarks(PLANTED).map((m) => m.split(' ')[1]))
    expect(KINDS.filter((k) => !planted.has(k))).toEqual([])
  })

  it('names file, line, specifier and rule', () => {
    const [first] = checkTree(PLANTED).filter((v) => v.file === 'domain/multi-line.ts')
    expect(first?.message).toBe(
      "domain/multi-line.ts:5 '../workbook/graph/store/graph-store.ts': domain may not import workbook/graph (domain (iso) may import domain: DESIGN.md: \"domain: only itself\")",
    )
  })
})
