import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/** The dependency rule of DESIGN.md §2, as data: which src folders each folder may import. */
const ALLOWED: Record<string, readonly string[]> = {
  domain: ['domain'],
  workbook: ['workbook', 'domain'],
  'workbook/file': ['workbook/file', 'workbook', 'domain'],
  'workbook/graph': ['workbook/graph', 'workbook', 'domain', 'auth'],
  app: ['app', 'domain', 'workbook'],
  ui: ['ui', 'domain'],
  export: ['export', 'app', 'domain'],
  auth: ['auth'],
  tab: ['tab', 'ui', 'app', 'auth', 'workbook/graph', 'domain', 'workbook'],
  taskpane: ['taskpane', 'ui', 'app', 'auth', 'workbook/graph', 'domain', 'workbook'],
  start: ['start', 'app', 'auth', 'workbook/graph', 'domain', 'workbook'],
  server: ['server', 'workbook/file', 'workbook', 'domain'],
  sample: ['sample', 'workbook', 'domain'],
  cli: ['cli', 'app', 'domain', 'workbook', 'workbook/file', 'workbook/graph', 'auth', 'server', 'sample', 'export'],
}

const SRC = resolve(import.meta.dirname, '../src')

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) yield* sourceFiles(path)
    else if (/\.tsx?$/.test(name)) yield path
  }
}

/** The rule folder a file belongs to: the longest key of ALLOWED that prefixes its path. */
function folderOf(file: string): string {
  const rel = relative(SRC, file).split('\\').join('/')
  const keys = Object.keys(ALLOWED).sort((a, b) => b.length - a.length)
  return keys.find((k) => rel.startsWith(`${k}/`)) ?? rel.split('/')[0] ?? ''
}

describe('architecture: imports follow the dependency rule of DESIGN.md', () => {
  it('every relative import under src/ points to a folder its own folder may use', () => {
    const violations: string[] = []
    for (const file of sourceFiles(SRC)) {
      const from = folderOf(file)
      const lines = readFileSync(file, 'utf8').split('\n')
      lines.forEach((line, index) => {
        const match = /^\s*(?:import|export)\b[^'"]*['"](\.{1,2}\/[^'"]+)['"]/.exec(line) ?? /import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/.exec(line)
        if (!match?.[1]) return
        const to = folderOf(resolve(dirname(file), match[1]))
        if (!(ALLOWED[from] ?? []).includes(to)) {
          violations.push(`${relative(SRC, file)}:${index + 1} imports ${match[1]} (${from} may not import ${to})`)
        }
      })
    }
    expect(violations).toEqual([])
  })

  it('the domain stays pure: no node:, React or exceljs imports', () => {
    const impure: string[] = []
    for (const file of sourceFiles(join(SRC, 'domain'))) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, index) => {
          if (/from\s+['"](node:|react|exceljs|@microsoft)/.test(line)) impure.push(`${relative(SRC, file)}:${index + 1}`)
        })
    }
    expect(impure).toEqual([])
  })
})
