import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { builtCli, CLI } from './built-cli.ts'

const BIN = CLI
beforeAll(async () => {
  await builtCli()
})

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pmw-serve-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('pm-workbook serve, as npm start runs it', () => {
  it('creates the sample on first run, prints the URLs, serves the page and the Graph API, and stops cleanly on Ctrl-C', async () => {
    const workbook = join(dir, 'data', 'pm-workbook.xlsx')
    const child = spawn(process.execPath, [BIN, 'serve', '--workbook', workbook, '--port', '0', '--sample-if-missing'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)))
    const itemUrl = await new Promise<string>((done, fail) => {
      const timer = setInterval(() => {
        const match = /(http:\/\/127\.0\.0\.1:\d+\/graph\/v1\.0\/me\/drive\/items\/\S+)/.exec(out)
        if (match?.[1]) {
          clearInterval(timer)
          done(match[1])
        }
      }, 50)
      void exited.then((code) => {
        clearInterval(timer)
        fail(new Error(`serve exited early (${code}): ${out}`))
      })
    })
    expect(existsSync(workbook)).toBe(true)
    expect(out).toMatch(/Created the sample district workbook/)
    const origin = new URL(itemUrl).origin
    expect(out).toContain(`Start page:       ${origin}/`)

    const page = await fetch(`${origin}/`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('href="/tab.html"')
    const tab = await fetch(`${origin}/tab.html`)
    expect(tab.status).toBe(200)
    expect(await tab.text()).toContain('<div id="root">')
    const item = (await (await fetch(itemUrl)).json()) as { name: string }
    expect(item.name).toBe('pm-workbook.xlsx')

    child.kill('SIGINT')
    expect(await exited).toBe(0)
    expect(out).toMatch(/Stopped\./)
  }, 60_000)
})
