import { parseArgs } from 'node:util'
import { parseIsoDate, type IsoDate } from '../domain/dates.ts'
import { UsageError } from './io.ts'

type OptionSpec = Record<string, { type: 'string' | 'boolean' }>

export type Parsed = { positionals: string[]; values: Record<string, string | boolean | undefined> }

/** Parses one command's arguments; unknown flags and missing values are usage errors, not crashes. */
export function parseCommandArgs(args: readonly string[], options: OptionSpec, positionals: { min: number; max: number; usage: string }): Parsed {
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true })
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error)
    throw new UsageError(`${reason}. Usage: ${positionals.usage}`)
  }
  if (parsed.positionals.length < positionals.min || parsed.positionals.length > positionals.max) {
    throw new UsageError(`Usage: ${positionals.usage}`)
  }
  return { positionals: parsed.positionals, values: parsed.values as Parsed['values'] }
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

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export function emailFlag(parsed: Parsed, name: string): string {
  const value = stringFlag(parsed, name)
  if (value === undefined) throw new UsageError(`--${name} EMAIL is required: say who is making the change.`)
  if (!EMAIL.test(value)) throw new UsageError(`--${name} must be an email address; got "${value}".`)
  return value.toLowerCase()
}
