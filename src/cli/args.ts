import { parseArgs } from 'node:util'
import { parseIsoDate, type IsoDate } from '../domain/dates.ts'
import { parseEmail, type Email, type IdProblem } from '../domain/ids.ts'
import type { Result } from '../domain/result.ts'
import { describeIdProblem } from '../messages/errors.ts'
import { UsageError } from './io.ts'

type OptionSpec = Record<string, { type: 'string' | 'boolean' }>

export type Parsed = { positionals: string[]; values: Record<string, string | boolean | undefined> }

/** `-3`, `-0.5`, `-.5`: a negative number is a value (a check-in, a percent), never an option. */
const NEGATIVE_NUMBER = /^-(\d|\.\d)/

/**
 * Parses one command's arguments. Unknown options, missing values and a wrong number of
 * arguments are usage errors: one line naming what is wrong, then the usage; never Node's
 * parser message.
 */
export function parseCommandArgs(args: readonly string[], options: OptionSpec, positionals: { min: number; max: number; usage: string }): Parsed {
  const usage = positionals.usage
  const command = usage.split(' ').slice(0, 2).join(' ')
  // Negative numbers pass the parser as stand-ins, so `checkin … -3` and `--percent -5` read as values.
  const negatives: string[] = []
  const standIn = (i: number) => `\u0000negative-${i}`
  const shielded = args.map((arg) => {
    if (!NEGATIVE_NUMBER.test(arg)) return arg
    negatives.push(arg)
    return standIn(negatives.length - 1)
  })
  const restore = (text: string): string => {
    const m = /^\u0000negative-(\d+)$/.exec(text)
    return m ? (negatives[Number(m[1])] ?? text) : text
  }

  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args: shielded, options, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError(`${describeParseError(error, options, command)} Usage: ${usage}`)
  }
  const given = parsed.positionals.map(restore)
  if (given.length < positionals.min) {
    const wanted = usageWords(usage).slice(given.length, positionals.min)
    throw new UsageError(`${command} needs ${wanted.length > 0 ? wanted.join(' ') : `${positionals.min} argument${positionals.min === 1 ? '' : 's'}`}. Usage: ${usage}`)
  }
  if (given.length > positionals.max) {
    const extra = given.slice(positionals.max)
    throw new UsageError(`Unexpected argument${extra.length === 1 ? '' : 's'} ${extra.map((a) => `"${a}"`).join(' ')} for ${command}. Usage: ${usage}`)
  }
  const values: Parsed['values'] = {}
  for (const [name, value] of Object.entries(parsed.values)) {
    if (typeof value === 'string') values[name] = restore(value)
    else if (typeof value === 'boolean') values[name] = value
  }
  return { positionals: given, values }
}

/** The positional words of a usage line: `pm-workbook step SOURCE STEP-ID [--status S]` → SOURCE, STEP-ID. */
function usageWords(usage: string): string[] {
  return usage
    .replace(/\[[^\]]*\]/g, ' ')
    .split(/\s+/)
    .slice(2)
    .filter((w) => /^[A-Z][A-Z-]*$/.test(w))
}

/** Node's parser errors, said as one sentence that names the option. */
function describeParseError(error: unknown, options: OptionSpec, command: string): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined
  const message = error instanceof Error ? error.message : String(error)
  const named = /'(-[^' ]*)/.exec(message)?.[1]
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const option = named ?? 'option'
      const near = closestOption(option, Object.keys(options))
      return `Unknown option ${option} for ${command}.${near ? ` Did you mean --${near}?` : ''}`
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const option = named ?? 'an option'
      if (/does not take an argument/.test(message)) return `${option} takes no value.`
      return `${option} needs a value.`
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `${command} takes no arguments of its own.`
    default:
      return `${message.split('\n')[0] ?? 'Bad arguments'}.`
  }
}

/** The known option a misspelt one most likely meant: within two edits, or a unique prefix. */
function closestOption(typed: string, known: readonly string[]): string | null {
  const name = typed.replace(/^-+/, '').split('=')[0] ?? ''
  if (name === '') return null
  let best: { option: string; distance: number } | null = null
  for (const option of known) {
    const distance = editDistance(name, option)
    if (distance <= 2 && (best === null || distance < best.distance)) best = { option, distance }
  }
  if (best) return best.option
  const prefixed = known.filter((o) => o.startsWith(name))
  return prefixed.length === 1 ? (prefixed[0] ?? null) : null
}

/** Levenshtein distance, with a swap of two neighbours counting as one edit (`stauts` → `status`). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const row = d[i] as number[]
      const prev = d[i - 1] as number[]
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] ?? 0, ((d[i - 2] as number[])[j - 2] ?? 0) + 1)
    }
  }
  return (d[a.length] as number[])[b.length] ?? 0
}

export function stringFlag(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name]
  return typeof value === 'string' ? value : undefined
}

export function dateFlag(parsed: Parsed, name: string): IsoDate | undefined {
  const text = stringFlag(parsed, name)
  if (text === undefined) return undefined
  const date = parseIsoDate(text)
  if (!date) throw new UsageError(`--${name} must be a real date written YYYY-MM-DD; got "${text}".`)
  return date
}

export function numberArg(text: string, what: string, range?: { min: number; max: number }): number {
  const value = text.trim() === '' ? Number.NaN : Number(text)
  if (!Number.isFinite(value)) throw new UsageError(`${what} must be a number; got "${text}".`)
  if (range && (value < range.min || value > range.max)) throw new UsageError(`${what} must be between ${range.min} and ${range.max}; got ${text}.`)
  return value
}

/** An email flag through the domain's validator (`parseEmail`), lower-cased. */
export function emailFlag(parsed: Parsed, name: string): Email {
  const value = stringFlag(parsed, name)
  if (value === undefined) throw new UsageError(`--${name} EMAIL is required: say who is making the change.`)
  const email = parseEmail(value)
  if (!email.ok) {
    throw new UsageError(email.error.problem === 'notAnEmail' ? `--${name} must be an email address; got "${value}".` : `--${name}: ${describeIdProblem(email.error)}`)
  }
  return email.value.toLowerCase() as Email
}

/**
 * An id from the command line through its domain validator (`parseWigId`, `parseStepId`, ...
 * in src/domain/ids.ts): the branded id, or a one-line usage error naming the argument.
 */
export function idArg<T>(text: string, parse: (text: string) => Result<T, IdProblem>, what: string): T {
  const id = parse(text)
  if (id.ok) return id.value
  throw new UsageError(`${what}: ${describeIdProblem(id.error)}`)
}
