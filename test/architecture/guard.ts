import { readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join, posix, relative } from 'node:path'
import ts from 'typescript'
import { LAYERS, type Layer } from './rules.ts'

/**
 * The import guard: every import of every file under a source root, read with the TypeScript
 * scanner (`ts.preProcessFile`), so multi-line imports, `export … from`, `import type`,
 * side-effect imports, `import()`, `import x = require()`, `require()` and triple-slash
 * references are all seen, and nothing in a comment or a string is.
 */

/** The kinds of violation, each with the rule it breaks. */
export const KINDS = [
  /** imports a src folder its row does not list */
  'folder',
  /** statically imports a folder its row allows only through `import()` */
  'lazy',
  /** imports a Node built-in (`node:x`, bare `fs`, or `/// <reference types="node" />`) outside Node code */
  'node',
  /** imports a package its row does not list */
  'package',
  /** pulls in a lib (`/// <reference lib="dom" />`) its environment lacks */
  'lib',
  /** a file in a folder the table has no row for */
  'unlisted',
  /** a relative import that leaves the source root */
  'outside',
] as const

export type Kind = (typeof KINDS)[number]

/** `file` is relative to the root; `to` is the folder imported, for `folder` and `lazy`. */
export type Violation = { file: string; line: number; specifier: string; kind: Kind; to?: string; message: string }

export type Import = { specifier: string; line: number; dynamic: boolean; via: 'import' | 'types' | 'lib' | 'path' }

const BUILTINS = new Set(builtinModules)
const SOURCE = /\.(?:c|m)?tsx?$/

/** Every import of one file's text, with its 1-based line. */
export function importsOf(text: string): Import[] {
  const info = ts.preProcessFile(text, true, true)
  const lineOf = (pos: number) => text.slice(0, pos).split('\n').length
  // `import(` (maybe with a comment such as /* @vite-ignore */) right before the literal; `pos` is
  // its opening quote.
  const isDynamic = (pos: number) =>
    /\bimport\s*\(\s*(?:\/\*[\s\S]*?\*\/\s*)*$/.test(text.slice(Math.max(0, pos - 300), pos + 1).replace(/['"`]$/, ''))
  return [
    ...info.importedFiles.map((f) => ({ specifier: f.fileName, line: lineOf(f.pos), dynamic: isDynamic(f.pos), via: 'import' as const })),
    ...info.typeReferenceDirectives.map((f) => ({ specifier: f.fileName, line: lineOf(f.pos), dynamic: false, via: 'types' as const })),
    ...info.libReferenceDirectives.map((f) => ({ specifier: f.fileName, line: lineOf(f.pos), dynamic: false, via: 'lib' as const })),
    ...info.referencedFiles.map((f) => ({ specifier: f.fileName, line: lineOf(f.pos), dynamic: false, via: 'path' as const })),
  ]
}

/** The table row a path under the root belongs to: the longest key that is it or prefixes it. */
export function folderOf(rel: string): string {
  const keys = Object.keys(LAYERS).sort((a, b) => b.length - a.length)
  return keys.find((k) => rel === k || rel.startsWith(`${k}/`)) ?? rel.split('/')[0] ?? ''
}

/** `@scope/name/sub` → `@scope/name`, `react/jsx-runtime` → `react`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier)
}

function packageAllowed(layer: Layer, name: string): boolean {
  if (layer.packages === '*') return true
  return layer.packages.some((p) => (p.endsWith('/*') ? name.startsWith(p.slice(0, -1)) : p === name))
}

const isNodeBuiltin = (specifier: string) => specifier.startsWith('node:') || BUILTINS.has(packageName(specifier))

/** The violations of one file, `rel` being its path under the root with `/` separators. */
export function checkFile(rel: string, text: string): Violation[] {
  const from = folderOf(rel)
  const layer = LAYERS[from]
  const out: Violation[] = []
  const flag = (imp: Pick<Import, 'specifier' | 'line'>, kind: Kind, why: string, to?: string) =>
    out.push({ file: rel, line: imp.line, specifier: imp.specifier, kind, ...(to === undefined ? {} : { to }), message: `${rel}:${imp.line}${imp.specifier ? ` '${imp.specifier}'` : ''}: ${why}` })

  if (!layer) {
    flag({ specifier: '', line: 1 }, 'unlisted', `folder '${from}' has no row in test/architecture/rules.ts (add one that follows DESIGN.md §2)`)
    return out
  }
  const rule = `${from} (${layer.env}) may import ${layer.imports.join(', ')}${layer.lazy ? `; ${layer.lazy.join(', ')} only through import()` : ''}: ${layer.source}`

  for (const imp of importsOf(text)) {
    const spec = imp.specifier.replace(/[?#].*$/, '')
    if (imp.via === 'lib') {
      if (layer.env !== 'browser' || !/^dom/i.test(spec)) flag(imp, 'lib', `${from} is ${layer.env} code; a lib reference would give it ${spec} (${rule})`)
      continue
    }
    if (imp.via === 'path' || spec.startsWith('.') || spec.startsWith('/')) {
      const target = posix.normalize(posix.join(posix.dirname(rel), spec))
      if (spec.startsWith('/') || target === '..' || target.startsWith('../')) {
        flag(imp, 'outside', `imports from outside src/`)
        continue
      }
      const to = folderOf(target)
      if (layer.imports.includes(to)) continue
      if (layer.lazy?.includes(to)) {
        if (!imp.dynamic) flag(imp, 'lazy', `${from} may load ${to} only through import() (${rule})`, to)
        continue
      }
      flag(imp, 'folder', `${from} may not import ${to} (${rule})`, to)
      continue
    }
    if (isNodeBuiltin(spec) || (imp.via === 'types' && (spec === 'node' || spec === '@types/node'))) {
      if (layer.env !== 'node') flag(imp, 'node', `${from} is ${layer.env} code and may not use Node built-ins (${rule})`)
      continue
    }
    const name = packageName(spec)
    if (!packageAllowed(layer, name)) {
      const allowed = layer.packages === '*' ? 'any' : layer.packages.length ? layer.packages.join(', ') : 'none'
      flag(imp, 'package', `${from} may not import the package ${name} (packages allowed: ${allowed}; ${layer.source})`)
    }
  }
  return out
}

/** Every source file under a root, as paths relative to it with `/` separators. */
export function sourceFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((p) => p.split('\\').join('/'))
    .filter((p) => SOURCE.test(p))
    .sort()
}

/** The violations of every file under a root. */
export function checkTree(root: string): Violation[] {
  return sourceFiles(root).flatMap((rel) => checkFile(rel, readFileSync(join(root, rel), 'utf8')))
}

export const relativeTo = (root: string, path: string) => relative(root, path).split('\\').join('/')
