import { readFile, realpath, stat } from 'node:fs/promises'
import { extname, resolve, sep } from 'node:path'

/** The built pages, served at `/` so the start page and the Graph API share one origin. */

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.webmanifest': 'application/manifest+json',
}

/**
 * Same-origin everything, except what the pages load from Microsoft: office.js from its CDN,
 * Teams' domain list, sign-in and Graph for the Microsoft 365 mode. Inline styles stay allowed
 * because Fluent (Griffel) injects style elements. No frame-ancestors: Teams and Excel embed the pages.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' https://appsforoffice.microsoft.com",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self' https://graph.microsoft.com https://login.microsoftonline.com https://res.cdn.office.net",
  "frame-src 'self' https://login.microsoftonline.com",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ')

/** Text-like types worth gzipping; images and fonts other than SVG are compressed already. */
export function isCompressible(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  return type.startsWith('text/') || type === 'image/svg+xml' || type === 'application/xml' || type === 'application/json' || type.endsWith('+json')
}

export type StaticFile = { status: number; headers: Record<string, string>; body: Buffer }

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'Referrer-Policy': 'no-referrer',
}

/** The file under `root` that `pathname` names, or null when it would leave `root` or is unreadable as a name. */
export function resolveStaticPath(root: string, pathname: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return null
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null
  const base = resolve(root)
  const target = resolve(base, `.${decoded.endsWith('/') ? `${decoded}index.html` : decoded}`)
  return target === base || target.startsWith(base + sep) ? target : null
}

function notFound(text = 'Not found\n'): StaticFile {
  return { status: 404, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }, body: Buffer.from(text) }
}

/** `pm-workbook serve` can run before the pages are built; say how to build them instead of a bare 404. */
const PAGES_NOT_BUILT = 'The pages are not built yet. Run `npm run build` (or `npm start`, which builds them), then reload.\nThe Graph API is served at /graph/v1.0 either way.\n'

const inside = (base: string, path: string) => path === base || path.startsWith(base + sep)

/**
 * The real file behind `target`, or null when it lies outside the real `root`: a name can stay
 * inside the folder while a symbolic link in it (or a linked folder on the way) points anywhere
 * on the disk. Links that stay inside (or a `dist` that is itself a link) are fine.
 */
async function realFileWithin(root: string, target: string): Promise<string | null> {
  const [base, real] = await Promise.all([realpath(root), realpath(target)])
  return inside(base, real) ? real : null
}

/**
 * Vite names everything under assets/ by its content hash, so a name never changes content: the
 * browser keeps it (and its compiled code) for good, and a page load asks only for the HTML, which
 * is always checked again. Everything else may change under its name.
 */
function cacheControl(pathname: string): string {
  return pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'
}

export async function serveStatic(root: string, pathname: string): Promise<StaticFile> {
  const named = resolveStaticPath(root, pathname)
  if (named === null) return notFound()
  try {
    let name = named
    let target = await realFileWithin(root, name)
    if (target !== null && (await stat(target)).isDirectory()) {
      name = resolve(named, 'index.html')
      target = await realFileWithin(root, resolve(target, 'index.html'))
    }
    if (target === null) return notFound()
    const body = await readFile(target)
    // Typed by the name asked for, as before links were resolved.
    const type = CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream'
    return { status: 200, headers: { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': cacheControl(pathname) }, body }
  } catch {
    return notFound(pathname === '/' || pathname === '/index.html' ? PAGES_NOT_BUILT : undefined)
  }
}
