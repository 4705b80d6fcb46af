/**
 * Regenerates the app icons from assets/icon.svg (run after changing the SVG):
 *
 *   npx tsx scripts/icons.ts
 *
 * Chromium (Debian's, through playwright-core as in test/browser/browser.ts) rasterises the SVG
 * into a canvas at each size; the pixels come back to Node and are written by scripts/png.ts, so
 * the files hold exactly what is computed here (no screenshot scaling or colour management).
 *
 * - icon-color.png, 192×192: the full-colour icon of the Teams / Microsoft 365 app package
 *   (`icons.color`, learn.microsoft.com `microsoft-365/extensibility/schema/root-icons`).
 * - icon-outline.png, 32×32: `icons.outline`, "a transparent 32x32 PNG outline icon. The border
 *   color must be white". Derived from the same SVG: the white sheet stays (white, with the SVG's
 *   own antialiasing as alpha), the blue tile, grid lines and green trend line become transparent,
 *   so it reads as the same mark. Every pixel is pure white at some opacity.
 * - icon-16/32/64/80.png: full colour, hosted beside the pages for the Excel ribbon button (16, 32
 *   and 80 are required, `extensionCommonIcon`) and the add-in-only manifest's IconUrl (32) and
 *   HighResolutionIconUrl (64).
 *
 * assets/icons.json records the SVG's SHA-256, so a test notices PNGs left stale by an SVG edit.
 */
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { launchChromium } from '../test/browser/browser.ts'
import { ICONS } from './icon-list.ts'
import { encodePng, type Rgba } from './png.ts'

const ASSETS = resolve(import.meta.dirname, '../assets')


export const svgHash = (svg: string): string => createHash('sha256').update(svg).digest('hex')

/** White where the colour icon is white, transparent elsewhere: alpha from the darkest channel. */
export function outlineFrom(color: Rgba): Rgba {
  const data = new Uint8Array(color.data.length)
  for (let i = 0; i < data.length; i += 4) {
    const darkest = Math.min(color.data[i] as number, color.data[i + 1] as number, color.data[i + 2] as number)
    const whiteness = Math.max(0, Math.min(1, (darkest - 96) / (255 - 96)))
    const alpha = Math.round(whiteness * (color.data[i + 3] as number))
    data.set(alpha > 0 ? [255, 255, 255, alpha] : [0, 0, 0, 0], i)
  }
  return { width: color.width, height: color.height, data }
}

async function render(svg: string, sizes: readonly number[]): Promise<Map<number, Rgba>> {
  const browser = await launchChromium()
  try {
    const page = await browser.context.newPage()
    const out = new Map<number, Rgba>()
    for (const size of sizes) {
      const pixels = await page.evaluate(
        async ({ svg, size }) => {
          const image = new Image(size, size)
          image.src = `data:image/svg+xml;base64,${btoa(svg)}`
          await image.decode()
          const canvas = document.createElement('canvas')
          canvas.width = size
          canvas.height = size
          const context = canvas.getContext('2d')
          if (!context) throw new Error('no 2d canvas')
          context.drawImage(image, 0, 0, size, size)
          return Array.from(context.getImageData(0, 0, size, size).data)
        },
        { svg, size },
      )
      out.set(size, { width: size, height: size, data: Uint8Array.from(pixels) })
    }
    return out
  } finally {
    await browser.close()
  }
}

async function main(): Promise<void> {
  const svg = readFileSync(resolve(ASSETS, 'icon.svg'), 'utf8')
  const sizes = [...new Set(Object.values(ICONS).map((i) => i.size))]
  const rendered = await render(svg, sizes)
  for (const icon of Object.values(ICONS)) {
    const color = rendered.get(icon.size)
    if (!color) throw new Error(`no rendering at ${icon.size}`)
    writeFileSync(resolve(ASSETS, icon.file), encodePng(icon.kind === 'outline' ? outlineFrom(color) : color))
    console.log(`assets/${icon.file} ${icon.size}×${icon.size}`)
  }
  const record = { source: 'icon.svg', sha256: svgHash(svg), generator: 'scripts/icons.ts', files: Object.fromEntries(Object.values(ICONS).map((i) => [i.file, i.size])) }
  writeFileSync(resolve(ASSETS, 'icons.json'), `${JSON.stringify(record, null, 2)}\n`)
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main()
