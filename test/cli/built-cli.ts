import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'

const root = resolve(import.meta.dirname, '../..')
/** The built CLI, as package.json's "bin" names it. */
export const CLI = join(root, 'dist', 'cli.mjs')

const run = promisify(execFile)

/** What the bundle is made from: a change to any of these makes `dist/cli.mjs` stale. */
function newestSource(): number {
  let newest = Math.max(...['vite.cli.config.ts', 'package.json'].map((f) => statSync(join(root, f)).mtimeMs))
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else newest = Math.max(newest, statSync(path).mtimeMs)
    }
  }
  walk(join(root, 'src'))
  return newest
}

const fresh = (): boolean => existsSync(CLI) && statSync(CLI).mtimeMs >= newestSource()

/**
 * The path of a `dist/cli.mjs` built from the current sources. `npm test` builds it before the
 * tests; a test run on its own (`npx vitest run test/cli`) after a source change rebuilds it
 * here, one worker at a time, so no test runs yesterday's bundle.
 */
export async function builtCli(): Promise<string> {
  if (fresh()) return CLI
  const lock = join(tmpdir(), `pm-workbook-cli-build-${Buffer.from(root).toString('base64url').slice(-40)}`)
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch {
      // Another worker is building: wait for it, then use its build. A lock left by a killed
      // run is taken over after a minute.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 60_000) rmSync(lock, { recursive: true, force: true })
      await new Promise((done) => setTimeout(done, 100))
    }
  }
  try {
    if (!fresh()) await run(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '-c', 'vite.cli.config.ts', '--logLevel', 'error'], { cwd: root })
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
  return CLI
}

/** The environment of a user's shell: no loader (tsx, vitest) carried over from the test runner. */
export function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra }
  delete env.NODE_OPTIONS
  delete env.VITEST
  delete env.VITEST_WORKER_ID
  delete env.VITEST_POOL_ID
  return env
}
