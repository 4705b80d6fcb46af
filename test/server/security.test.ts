import { request } from 'node:http'
import { connect } from 'node:net'
import { networkInterfaces } from 'node:os'
import { mkdir, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../../src/server/server.ts'
import { startHarness, type Harness } from './harness.ts'

/** Host/Origin checks, loopback-only binding, static files and /local-config.json. */

let h: Harness
let withPages: RunningServer
let port: number
beforeAll(async () => {
  h = await startHarness()
  port = Number(new URL(h.server.origin).port)
  const pages = join(h.dir, 'dist')
  await mkdir(join(pages, 'assets'), { recursive: true })
  await writeFile(join(pages, 'index.html'), '<!doctype html><title>start</title>')
  await writeFile(join(pages, 'assets', 'app.js'), 'console.log(1)')
  await writeFile(join(h.dir, 'secret.txt'), 'not for the web')
  // Links a build never makes, but a careless copy or an attacker with write access to dist could:
  // a file and a folder pointing out of dist, and a harmless alias inside it.
  await symlink(join(h.dir, 'secret.txt'), join(pages, 'leak.txt'))
  await symlink(h.dir, join(pages, 'up'))
  await symlink(join(pages, 'assets', 'app.js'), join(pages, 'alias.js'))
  withPages = await startServer({ workbook: h.workbook, staticDir: pages })
})
afterAll(async () => {
  await withPages.close()
  await h.close()
})

type Raw = { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/** node:http, because fetch will not send a Host header of our choosing. */
function raw(target: RunningServer, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  const url = new URL(target.origin)
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: url.port, path, method, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

const tablesPath = () => `/graph/v1.0${h.wb}/tables`

describe('Host and Origin checks', () => {
  it('refuses a foreign Host with 403 and an OData error body (DNS rebinding)', async () => {
    const res = await raw(h.server, tablesPath(), { Host: `evil.example:${port}` })
    expect(res.status).toBe(403)
    expect((JSON.parse(res.body) as { error: { code: string } }).error.code).toBe('forbidden')
  })

  it('refuses the right name on another port', async () => {
    expect((await raw(h.server, tablesPath(), { Host: `127.0.0.1:${port + 1}` })).status).toBe(403)
  })

  it('accepts both loopback names of its own port as Host', async () => {
    expect((await raw(h.server, tablesPath(), { Host: `localhost:${port}` })).status).toBe(200)
    expect((await raw(h.server, tablesPath(), { Host: `127.0.0.1:${port}` })).status).toBe(200)
  })

  it('refuses a request from another origin with 403 and sends no CORS header', async () => {
    const res = await raw(h.server, tablesPath(), { Host: `127.0.0.1:${port}`, Origin: 'https://evil.example' })
    expect(res.status).toBe(403)
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
    const preflight = await raw(h.server, tablesPath(), { Host: `127.0.0.1:${port}`, Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' }, 'OPTIONS')
    expect(preflight.status).toBe(403)
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('accepts its own origin under either name', async () => {
    expect((await raw(h.server, tablesPath(), { Host: `127.0.0.1:${port}`, Origin: `http://127.0.0.1:${port}` })).status).toBe(200)
    expect((await raw(h.server, tablesPath(), { Host: `localhost:${port}`, Origin: `http://localhost:${port}` })).status).toBe(200)
  })
})

function reachable(host: string, targetPort: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port: targetPort })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

describe('binding', () => {
  it('listens on 127.0.0.1 only: not on ::1, nor on any network address of this machine', async () => {
    expect(h.server.origin).toBe(`http://127.0.0.1:${port}`)
    expect(await reachable('127.0.0.1', port)).toBe(true)
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i !== undefined && !i.internal && i.family === 'IPv4')
      .map((i) => i?.address ?? '')
    for (const address of ['::1', ...others]) expect(await reachable(address, port), address).toBe(false)
  })
})

describe('pages and local config', () => {
  it('serves index.html at / with nosniff and a Content-Security-Policy', async () => {
    const res = await fetch(`${withPages.origin}/`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(await res.text()).toContain('<title>start</title>')
  })

  it('serves scripts as JavaScript', async () => {
    const res = await fetch(`${withPages.origin}/assets/app.js`)
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
  })

  it('never serves a file outside the pages folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%5c..%5csecret.txt']) {
      const res = await raw(withPages, path, { Host: `127.0.0.1:${new URL(withPages.origin).port}` })
      expect(res.status, path).toBe(404)
      expect(res.body).not.toContain('not for the web')
    }
  })

  it('never follows a symbolic link out of the pages folder (real paths are compared, not names)', async () => {
    for (const path of ['/leak.txt', '/up/secret.txt', '/up/', '/up']) {
      const res = await raw(withPages, path, { Host: `127.0.0.1:${new URL(withPages.origin).port}` })
      expect(res.status, path).toBe(404)
      expect(res.body).not.toContain('not for the web')
    }
  })

  it('follows a link that stays inside the pages folder, typed by the name asked for', async () => {
    const res = await fetch(`${withPages.origin}/alias.js`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await res.text()).toBe('console.log(1)')
  })

  it('answers /local-config.json with the Graph base URL for the name the page used, and the drive item path', async () => {
    const res = await raw(h.server, '/local-config.json', { Host: `localhost:${port}` })
    expect(JSON.parse(res.body)).toMatchObject({ graphBaseUrl: `http://localhost:${port}/graph/v1.0`, driveItemPath: `/me/drive/items/${h.server.driveItemId}` })
    expect(((await (await fetch(`${h.server.origin}/local-config.json`)).json()) as { graphBaseUrl: string }).graphBaseUrl).toBe(h.server.graphBaseUrl)
  })
})
