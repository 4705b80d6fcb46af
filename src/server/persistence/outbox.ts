import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/**
 * The local server's outbox, like a mail catcher: every message sent to `POST /me/sendMail` and
 * every Teams activity notification is kept as a file in a folder next to the workbook
 * (`outbox/` beside `data/pm-workbook.xlsx`), and shown at `/outbox`. Nothing leaves the machine.
 *
 * Each message is `{id}.json` (what the pages show), and a mail sent as MIME keeps what came in as
 * `{id}.eml` too. Ids sort by arrival: the time received, then a sequence number.
 */

export type OutboxMessage = {
  id: string
  kind: 'mail' | 'teams'
  receivedAt: string
  to: { name: string; email: string }[]
  subject: string
  text: string
  html: string | null
  /** Teams: the notification's topic link, and the page it falls back to (its `webUrl` parameter). */
  link: string | null
  pageUrl: string | null
}

export type Outbox = {
  dir: string
  add(message: Omit<OutboxMessage, 'id' | 'receivedAt'>, raw?: string): Promise<OutboxMessage>
  /** Newest first. */
  list(): Promise<OutboxMessage[]>
  get(id: string): Promise<OutboxMessage | null>
}

/** The outbox of a workbook: a folder named `outbox` beside it. */
export function outboxDirFor(workbookPath: string): string {
  return join(dirname(workbookPath), 'outbox')
}

const ID = /^[0-9TZ-]+-\d{4}-(mail|teams)$/

function isMessage(value: unknown): value is OutboxMessage {
  if (typeof value !== 'object' || value === null) return false
  const m = value as Record<string, unknown>
  return typeof m.id === 'string' && (m.kind === 'mail' || m.kind === 'teams') && typeof m.subject === 'string' && Array.isArray(m.to)
}

export function createOutbox(dir: string, clock: () => number = Date.now): Outbox {
  let sequence = 0
  const read = async (file: string): Promise<OutboxMessage | null> => {
    try {
      const parsed: unknown = JSON.parse(await readFile(join(dir, file), 'utf8'))
      return isMessage(parsed) ? parsed : null
    } catch {
      return null
    }
  }
  return {
    dir,
    async add(message, raw) {
      await mkdir(dir, { recursive: true })
      const receivedAt = new Date(clock()).toISOString()
      sequence = (sequence + 1) % 10_000
      const id = `${receivedAt.replace(/[:.]/g, '-')}-${String(sequence).padStart(4, '0')}-${message.kind}`
      const full: OutboxMessage = { id, receivedAt, ...message }
      if (raw !== undefined) await writeFile(join(dir, `${id}.eml`), raw, 'utf8')
      // Written whole, then renamed: a page listing the folder never reads half a message.
      const temp = join(dir, `.${id}.json.tmp`)
      await writeFile(temp, `${JSON.stringify(full, null, 2)}\n`, 'utf8')
      await rename(temp, join(dir, `${id}.json`))
      return full
    },
    async list() {
      let files: string[]
      try {
        files = await readdir(dir)
      } catch {
        return []
      }
      const ids = files.filter((f) => f.endsWith('.json') && ID.test(basename(f, '.json'))).sort().reverse()
      const messages = await Promise.all(ids.map(read))
      return messages.filter((m): m is OutboxMessage => m !== null)
    },
    async get(id) {
      if (!ID.test(id)) return null
      return read(`${id}.json`)
    },
  }
}
