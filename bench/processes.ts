import { spawn } from 'node:child_process'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'

/**
 * What runs in a fresh process: `pm-workbook help` (start-up), `status` on the file backend,
 * `export`; each `node dist/cli.mjs …` as a person types it. Time is wall clock from spawn to
 * exit; memory is the process's peak resident set (maxRSS), which a tiny `--import` hook writes
 * to stderr as the process exits. Also the pages' initial JavaScript, read from dist/.
 */

const REPO = join(import.meta.dirname, '..')
let DIST = join(REPO, 'dist')
let CLI = join(DIST, 'cli.mjs')

/**
 * Runs the CLI and reads the pages from `dist` (the bench's own copy of the build, so a build
 * started meanwhile in the same checkout cannot empty it under a running bench).
 */
export function useDist(dist: string): void {
  DIST = dist
  CLI = join(DIST, 'cli.mjs')
}

export type RunFigure = { ms: number | null; peakMb: number | null; runs: number; error?: string; note?: string }

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0
}

let hookPath: string | null = null
function rssHook(dir: string): string {
  if (hookPath) return hookPath
  hookPath = join(dir, 'bench-rss-hook.mjs')
  writeFileSync(hookPath, ["import { writeSync } from 'node:fs'", "process.on('exit', () => { writeSync(2, `\\nBENCH-RSS ${process.resourceUsage().maxRSS}\\n`) })", ''].join('\n'))
  return hookPath
}

function runNode(args: readonly string[], dir: string, timeoutMs: number): Promise<{ code: number | null; ms: number; maxRssKb: number | null; stderr: string; stdout: string }> {
  const env = { ...process.env }
  delete env.NODE_OPTIONS
  return new Promise((done) => {
    const start = performance.now()
    const child = spawn(process.execPath, ['--import', `file://${rssHook(dir)}`, ...args], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => {
      if (stdout.length < 10_000) stdout += c.toString('utf8')
    })
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const ms = performance.now() - start
      const rss = /BENCH-RSS (\d+)/.exec(stderr)?.[1]
      done({ code: signal ? null : code, ms, maxRssKb: rss ? Number(rss) : null, stderr: stderr.replace(/\n?BENCH-RSS \d+\n?/, '').trim(), stdout })
    })
  })
}

/**
 * `runs` fresh processes one after another; the figure is the median time (`best`: the fastest,
 * the least disturbed by whatever else the machine runs) and the highest peak.
 * `okCodes`: exit codes that mean the command did its work (`status` exits 1 when the workbook has problems).
 */
export async function timeCli(args: readonly string[], options: { dir: string; runs: number; timeoutMs: number; okCodes?: readonly number[]; warmup?: boolean; best?: boolean }): Promise<RunFigure> {
  if (!existsSync(CLI)) return { ms: null, peakMb: null, runs: 0, error: 'dist/cli.mjs is not built (npm run bench builds it)' }
  const ok = options.okCodes ?? [0]
  if (options.warmup) await runNode([CLI, ...args], options.dir, options.timeoutMs)
  const times: number[] = []
  let peak = 0
  for (let run = 0; run < options.runs; run += 1) {
    const result = await runNode([CLI, ...args], options.dir, options.timeoutMs)
    if (result.code === null || !ok.includes(result.code)) {
      const why = result.code === null ? `killed after ${Math.round(options.timeoutMs / 1000)} s` : `exit ${result.code}: ${result.stderr.split('\n')[0] ?? ''}`
      return { ms: null, peakMb: null, runs: run + 1, error: why }
    }
    times.push(result.ms)
    peak = Math.max(peak, (result.maxRssKb ?? 0) / 1024)
  }
  return { ms: options.best ? Math.min(...times) : median(times), peakMb: peak > 0 ? peak : null, runs: options.runs }
}

export function fileSize(path: string): number | null {
  return existsSync(path) ? statSync(path).size : null
}

// ------------------------------------------------------------- pages: initial JavaScript

export type PageJs = { page: string; files: number; bytes: number; gzipBytes: number } | { page: string; error: string }

function attributes(tag: string): Map<string, string> {
  const found = new Map<string, string>()
  for (const m of tag.matchAll(/([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g)) found.set((m[1] ?? '').toLowerCase(), m[2] ?? m[3] ?? m[4] ?? '')
  return found
}

/** The file in dist/ a page or chunk names; null for another origin (Office.js from its CDN: not ours to count). */
function builtFile(url: string, from: string): string | null {
  if (/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(url)) return null
  const path = url.split(/[?#]/)[0] ?? ''
  return path.startsWith('/') ? join(DIST, path) : resolve(dirname(from), path)
}

/** The page's module script, its modulepreloads, and what they import statically (`import()` loads later, so is not initial). */
function initialScripts(page: string): string[] {
  const html = readFileSync(join(DIST, page), 'utf8')
  const tags = (name: string) => [...html.matchAll(new RegExp(`<${name}\\b[^>]*>`, 'gi'))].map((m) => attributes(m[0]))
  const urls = [
    ...tags('script').flatMap((a) => (a.get('type') === 'module' && a.has('src') ? [a.get('src') ?? ''] : [])),
    ...tags('link').flatMap((a) => ((a.get('rel') ?? '').toLowerCase().split(/\s+/).includes('modulepreload') && a.has('href') ? [a.get('href') ?? ''] : [])),
  ]
  const files = new Set(urls.flatMap((url) => builtFile(url, join(DIST, page)) ?? []))
  for (const file of files) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\b(?:from|import)\s*["'](\.\.?\/[^"']+)["']/g)) {
      const imported = builtFile(m[1] ?? '', file)
      if (imported !== null && existsSync(imported)) files.add(imported)
    }
  }
  return [...files]
}

/** Minified as built, gzip -9 per file, summed. */
export function measurePageJs(page: string): PageJs {
  if (!existsSync(join(DIST, page))) return { page, error: 'not built' }
  try {
    const bodies = initialScripts(page).map((file) => readFileSync(file))
    return { page, files: bodies.length, bytes: bodies.reduce((n, b) => n + b.length, 0), gzipBytes: bodies.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0) }
  } catch (error) {
    return { page, error: error instanceof Error ? error.message : String(error) }
  }
}
