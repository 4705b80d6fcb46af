import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { folderOf, relativeTo, sourceFiles } from './guard.ts'
import { ISO_PENDING, LAYERS, type Env } from './rules.ts'

/**
 * Each environment has its own tsconfig (rules.ts says which folder runs where), so the compiler
 * stops isomorphic code from using `fs` or `window`, and Node code from using the DOM. This test
 * checks that every src file lands in the right project, and that each project's options refuse
 * the globals planted in test/fixtures/architecture/globals.
 */

const ROOT = resolve(import.meta.dirname, '../..')
const SRC = join(ROOT, 'src')
const GLOBALS = join(ROOT, 'test/fixtures/architecture/globals')

const PROJECTS = { iso: 'tsconfig.iso.json', node: 'tsconfig.node.json', browser: 'tsconfig.browser.json', test: 'tsconfig.test.json' } as const
type Project = keyof typeof PROJECTS

/** The projects that must type-check a file of each environment. */
const CHECKED_BY: Record<Env, readonly Project[]> = { iso: ['iso'], universal: ['node', 'browser'], node: ['node'], browser: ['browser'] }

function parse(project: Project): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(ROOT, PROJECTS[project]), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'))
    },
  })
  const errors = parsed?.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')) ?? ['cannot be read']
  if (!parsed || errors.length) throw new Error(`${PROJECTS[project]}: ${errors.join('; ')}`)
  return parsed
}

const configs = Object.fromEntries((Object.keys(PROJECTS) as Project[]).map((p) => [p, parse(p)])) as Record<Project, ts.ParsedCommandLine>
const rootFiles = (p: Project) => new Set(configs[p].fileNames.map((f) => relativeTo(ROOT, f)))

describe('architecture: each environment type-checks with its own types', () => {
  it('tsconfig.json refers to every environment and `npm test` type-checks them all first', () => {
    const solution = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile).config as { files: unknown[]; references: { path: string }[] }
    expect(solution.files).toEqual([])
    expect(solution.references.map((r) => r.path.replace(/^\.\//, '')).sort()).toEqual(Object.values(PROJECTS).sort())
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    expect(scripts.typecheck).toBe('tsc -b')
    expect(scripts.test?.startsWith('npm run typecheck && ')).toBe(true)
  })

  it('gives each project the types of its environment and no other', () => {
    const env = (p: Project) => ({ lib: configs[p].options.lib, types: configs[p].options.types })
    expect(env('iso')).toEqual({ lib: ['lib.es2023.d.ts'], types: [] })
    expect(env('node')).toEqual({ lib: ['lib.es2023.d.ts'], types: ['node'] })
    expect(env('browser')).toEqual({ lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'], types: [] })
    expect(env('test')).toEqual({ lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'], types: ['node'] })
  })

  it('type-checks every src file in the projects of its environment, and only there', () => {
    const projects = (['iso', 'node', 'browser', 'test'] as const).map((p) => [p, rootFiles(p)] as const)
    const wrong = sourceFiles(SRC).flatMap((rel) => {
      const layer = LAYERS[folderOf(rel)]
      if (!layer) return [] // the import guard reports a folder without a row
      const want = ISO_PENDING.includes(rel) ? ['node'] : CHECKED_BY[layer.env]
      const got = projects.filter(([, files]) => files.has(`src/${rel}`)).map(([p]) => p)
      return got.join() === want.join() ? [] : [`src/${rel} (${layer.env}) is in ${got.join(', ') || 'no project'}, not ${want.join(', ')}`]
    })
    expect(wrong).toEqual([])
  })

  it('keeps the planted fixtures out of every project', () => {
    const planted = (Object.keys(PROJECTS) as Project[]).flatMap((p) => [...rootFiles(p)].filter((f) => f.startsWith('test/fixtures/architecture/')))
    expect(planted).toEqual([])
  })

  /** `line name` for each name tsc cannot find in a file compiled with a project's options. */
  function missingNames(project: Project, file: string): string[] {
    const options: ts.CompilerOptions = { ...configs[project].options, incremental: false, noEmit: true }
    delete options.tsBuildInfoFile
    const program = ts.createProgram({ rootNames: [file], options })
    const source = program.getSourceFile(file)
    if (!source) throw new Error(`${file} did not load`)
    return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) => {
      const line = source.getLineAndCharacterOfPosition(d.start ?? 0).line + 1
      const text = ts.flattenDiagnosticMessageText(d.messageText, ' ')
      return `${line} ${/^Cannot find name '([^']+)'/.exec(text)?.[1] ?? text}`
    })
  }

  // The other environments rest on their options above: a program with DOM or @types/node costs
  // a second or more each.
  it('the iso project refuses DOM and Node globals planted in isomorphic code', () => {
    const file = join(GLOBALS, 'iso.ts')
    const marks = readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, index) => {
        const name = /✗ (\S+)\s*$/.exec(line)?.[1]
        return name ? [`${index + 1} ${name}`] : []
      })
    expect(marks.length).toBeGreaterThan(0)
    expect(missingNames('iso', file).sort()).toEqual(marks.sort())
  })
})
