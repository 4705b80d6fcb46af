import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseServeArgs } from '../../src/cli/commands/serve.ts'
import { COMMAND_NAMES } from '../../src/cli/main.ts'
import { runCli } from './run-cli.ts'

/**
 * Every `npx pm-workbook …` line in the README's "The CLI" section, run as written, in order, on
 * a fresh folder, through the CLI's own entry point in-process (cli.test.ts runs the built
 * dist/cli.mjs that npx runs), with the real clock and no environment. `serve` blocks until
 * Ctrl-C, so its line is only parsed.
 */
const README = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8')

function cliSection(markdown: string): string {
  const start = markdown.indexOf('\n## The CLI\n')
  if (start < 0) throw new Error('README.md has no "## The CLI" section')
  const next = markdown.indexOf('\n## ', start + 1)
  return markdown.slice(start, next < 0 ? undefined : next)
}

function shellBlocks(section: string): string[] {
  return [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '')
}

/** A command line split as a POSIX shell would split it (quotes, backslashes), up to a `#` comment. */
function shellWords(line: string): string[] {
  const words: string[] = []
  let word: string | null = null
  let quote: '"' | "'" | null = null
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i] ?? ''
    if (quote !== null) {
      if (c === quote) quote = null
      else if (c === '\\' && quote === '"' && /["\\$`]/.test(line[i + 1] ?? '')) word += line[++i] ?? ''
      else word += c
      continue
    }
    if (c === '"' || c === "'") {
      quote = c
      word ??= ''
    } else if (c === '\\') word = (word ?? '') + (line[++i] ?? '')
    else if (/\s/.test(c)) {
      if (word !== null) words.push(word)
      word = null
    } else if (c === '#' && word === null) break
    else if (/[|&;<>()$`]/.test(c)) throw new Error(`README example uses shell syntax the test does not run: ${line}`)
    else word = (word ?? '') + c
  }
  if (quote !== null) throw new Error(`Unclosed quote in README example: ${line}`)
  if (word !== null) words.push(word)
  return words
}

const examples = shellBlocks(cliSection(README))
  .flatMap((block) => block.split('\n'))
  .map((line) => ({ line: line.replace(/\s+#.*$/, '').trim(), words: shellWords(line) }))
  .filter(({ words }) => words[0] === 'npx' && words[1] === 'pm-workbook')
  .map(({ line, words }) => ({ line, args: words.slice(2) }))

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pmw-readme-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const runExample = (args: readonly string[]) => runCli([...args], { cwd: dir, now: new Date() })

describe("the README's CLI examples, run as written on a fresh sample", () => {
  it('has an example of every command, and starts the sample before using it', () => {
    const used = new Set(examples.map(({ args }) => args[0]))
    expect(COMMAND_NAMES.filter((name) => !used.has(name))).toEqual([])
    const firstOnPlan = examples.find(({ args }) => args.includes('plan.xlsx'))
    expect(firstOnPlan?.args.slice(0, 3)).toEqual(['init', 'plan.xlsx', '--sample'])
  })

  for (const { line, args } of examples) {
    if (args[0] === 'serve') {
      it(`${line} (parsed only: it serves until Ctrl-C)`, () => {
        const request = parseServeArgs(args.slice(1), { cwd: dir })
        expect(request.workbook).toBe(join(dir, 'plan.xlsx'))
      })
      continue
    }
    it(line, async () => {
      const result = await runExample(args)
      expect(result.code, `${line}\n${result.stdout}${result.stderr}`).toBe(0)
      expect(result.stdout.trim()).not.toBe('')
      if (args[0] === 'init') expect(existsSync(join(dir, 'plan.xlsx'))).toBe(true)
    })
  }
})
