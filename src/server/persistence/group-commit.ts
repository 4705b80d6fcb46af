import { withFileLock, WorkbookBusy, type LockOptions } from '../../workbook/file/file-lock.ts'
import type { SerialQueue } from '../../workbook/serial-queue.ts'
import type { Job } from '../handlers/dispatch.ts'
import type { GraphRequest, GraphResponse } from '../protocol/messages.ts'
import type { WorkbookHost } from './workbook-host.ts'

/**
 * Group commit: writes that arrive while a save runs go out together in the next save.
 *
 * A group is every write waiting once `{workbook}.lock` is taken. Its writes are applied to the
 * in-memory workbook one after another in arrival order (each sees the ones before it), inside
 * the memory queue so no read sees half a write; a write that fails is answered with its error
 * and changes nothing, the others go on. Then one save (atomic, read back, renamed into place)
 * covers every write the group changed, outside the memory queue so reads are answered while it
 * runs, and no write is applied meanwhile (the next group waits for the lock). Only once that
 * save is on disk is any write of the group answered; if it fails, the file is read again (so
 * memory is what the file holds, i.e. every write of the group undone) and every write that
 * changed the workbook gets the save's error. After a group of several writes, the next group
 * waits a tenth of that save (100 ms at most) for the writers just answered, so concurrent writers
 * share each save instead of taking turns.
 *
 * A write whose caller has closed the connection before its group is applied is skipped: a
 * caller that gave up is never answered "failed" for a write that then lands (unless it gave up
 * after its write was applied; then the write is saved, and the Graph client reads its ChangeIds
 * back before it sends it again).
 *
 * A write that throws half way (`reloadNeeded`) may have left memory half-changed: the file is
 * read again and the writes of the group applied before it are applied again, in order.
 */

/** One write (a call or a `$batch`) waiting for its group. */
export type WriteUnit = {
  request: GraphRequest
  /** Applies the write to the in-memory workbook, recording in `job` what it did. */
  apply(job: Job): Promise<GraphResponse>
  /**
   * Whether the caller has given up (closed the connection): a write not yet applied is then
   * skipped, so it either lands within the caller's deadline or not at all. One already applied
   * is saved with its group; the Graph client reads its ChangeIds back before sending it again.
   */
  gone?: () => boolean
}

export type GroupCommitOptions = {
  host: WorkbookHost
  /** The queue every job on the in-memory workbook runs through. */
  memory: SerialQueue
  lock: LockOptions
  /** The most writes one save covers: 1 is the save-per-write server (the bench's baseline). */
  maxGroup?: number
  /** Wraps every save: tests hold a save open or count saves, the bench counts them. */
  aroundSave?: (save: () => Promise<void>) => Promise<void>
  /** The answer to a write whose group's save failed (memory already reloaded). */
  saveFailed(error: unknown, request: GraphRequest): GraphResponse
  /** The answer to a write that could not take the lock (another program held it too long). */
  busy(error: WorkbookBusy, request: GraphRequest): GraphResponse
  /** The answer (which no one will read) to a write whose caller gave up before it was applied. */
  abandoned(request: GraphRequest): GraphResponse
  /** The answer to a write that changed the workbook and then failed part way (memory reloaded). */
  partWay(request: GraphRequest): GraphResponse
}

export type GroupCommitter = {
  /** Resolves once the write is on disk (or has failed, changing nothing). */
  submit(unit: WriteUnit): Promise<GraphResponse>
  /** Resolves once every write submitted so far has been answered. */
  idle(): Promise<void>
}

type Outcome = { response: GraphResponse; changed: boolean } | { thrown: unknown }
type Pending = { unit: WriteUnit; outcome: Outcome | null; resolve(response: GraphResponse): void; reject(error: unknown): void }

/** The longest the next group waits for writers just answered. */
const MAX_GATHER_MS = 100
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

const changed = (p: Pending): boolean => p.outcome !== null && 'changed' in p.outcome && p.outcome.changed

export function createGroupCommitter(options: GroupCommitOptions): GroupCommitter {
  const { host, memory } = options
  const maxGroup = options.maxGroup ?? Number.POSITIVE_INFINITY
  const aroundSave = options.aroundSave ?? ((save) => save())
  const pending: Pending[] = []
  let running: Promise<void> | null = null

  /** Applies each write in order; memory equals the file when it starts. */
  async function applyInOrder(group: readonly Pending[]): Promise<void> {
    for (let i = 0; i < group.length; i += 1) {
      const p = group[i] as Pending
      if (p.unit.gone?.()) {
        p.outcome = { response: options.abandoned(p.unit.request), changed: false }
        continue
      }
      const job: Job = { savedWorkbookChanged: false, reloadNeeded: false }
      let outcome: Outcome
      try {
        outcome = { response: await p.unit.apply(job), changed: job.savedWorkbookChanged }
      } catch (e) {
        job.reloadNeeded = true
        outcome = { thrown: e }
      }
      if (job.reloadNeeded) {
        // Memory may be half-changed: back to the file, then the writes before this one again.
        await host.reload()
        p.outcome = 'thrown' in outcome ? outcome : { response: job.savedWorkbookChanged ? options.partWay(p.unit.request) : outcome.response, changed: false }
        await applyInOrder(group.slice(0, i).filter(changed))
        continue
      }
      p.outcome = outcome
    }
  }

  /** Commits the next group; returns how many writes it held. */
  async function commitOne(): Promise<number> {
    let group: Pending[] = []
    // Memory holds changes of this group that are neither saved nor undone.
    let dirty = false
    let heldReads = false
    try {
      await withFileLock(
        host.path,
        async () => {
          group = pending.splice(0, maxGroup)
          await memory.run(async () => {
            // A file saved behind our back is read again first.
            await host.refreshIfChanged()
            dirty = true
            await applyInOrder(group)
            heldReads = group.some(changed) && host.saveTouchesCells()
          })
          if (!group.some(changed)) {
            dirty = false
            return
          }
          try {
            // Outside the memory queue, so reads are answered meanwhile; unless this save rewrites
            // cells while it runs (escaped text), which a read must not see.
            if (heldReads) await memory.run(() => aroundSave(() => host.save()))
            else await aroundSave(() => host.save())
            dirty = false
          } catch (e) {
            await memory.run(() => host.reload())
            dirty = false
            for (const p of group) if (changed(p)) p.outcome = { response: options.saveFailed(e, p.unit.request), changed: false }
          }
        },
        options.lock,
      )
    } catch (e) {
      if (group.length === 0) {
        // The lock was never taken: every write waiting now waited for it in vain.
        group = pending.splice(0, maxGroup)
        for (const p of group) p.outcome = e instanceof WorkbookBusy ? { response: options.busy(e, p.unit.request), changed: false } : { thrown: e }
      } else if (dirty) {
        // Failed with changes neither saved nor undone: undo them, and no write of the group is kept.
        await memory.run(() => host.reload()).catch(() => undefined)
        for (const p of group) p.outcome = { thrown: e }
      }
      // Otherwise (the lock could not be released) every answer already stands: saved, or nothing changed.
    }
    // Answered only now: every write of the group is on disk, or failed and changed nothing.
    for (const p of group) {
      const outcome = p.outcome ?? { thrown: new Error('The write was not applied.') }
      if ('thrown' in outcome) p.reject(outcome.thrown)
      else p.resolve(outcome.response)
    }
    return group.length
  }

  async function drain(): Promise<void> {
    try {
      let last: { writes: number; ms: number } | null = null
      while (pending.length > 0) {
        // Writers answered just now send their next write within a round trip or two. Without a
        // moment's wait for them, the next group holds only the writes that came during the save,
        // and concurrent writers split into two halves taking turns: half the writes per save.
        // Only after a group of several (one writer alone never waits), a tenth of that save.
        if (last !== null && last.writes > 1 && pending.length < maxGroup) await pause(Math.min(MAX_GATHER_MS, last.ms / 10))
        const started = Date.now()
        const writes = await commitOne()
        last = { writes, ms: Date.now() - started }
      }
    } finally {
      running = null
    }
  }

  return {
    submit(unit) {
      return new Promise<GraphResponse>((resolve, reject) => {
        pending.push({ unit, outcome: null, resolve, reject })
        running ??= drain()
      })
    },
    async idle() {
      while (running !== null) await running
    },
  }
}
