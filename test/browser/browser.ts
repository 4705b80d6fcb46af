import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

/** Debian's Chromium with a fresh profile, started the way this workplace's closed network needs. */
export async function launchChromium(options: { colorScheme?: 'light' | 'dark'; forcedColors?: 'active' | 'none' } = {}): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'pmw-chromium-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    colorScheme: options.colorScheme ?? 'light',
    forcedColors: options.forcedColors ?? 'none',
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  return {
    context,
    close: async () => {
      await context.close()
      rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}

/**
 * Where the theme tests keep a screenshot of each view to look at, when PMW_SCREENSHOTS is set
 * (encoding three dozen PNGs is seconds of every run nobody looks at otherwise); null when not.
 */
export function screenshotFolder(name: string): string | null {
  if (!process.env.PMW_SCREENSHOTS) return null
  const folder = join(tmpdir(), name)
  mkdirSync(folder, { recursive: true })
  return folder
}
