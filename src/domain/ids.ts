import { err, ok, type Result } from './result.ts'

/**
 * Branded ids: a plain string is not a `WigId` until a validator below has checked it, so an
 * id cannot be passed where another kind is expected, and every id that reaches the model or a
 * use case has the shape the contract allows. Pure and isomorphic: the task pane runs these in
 * the browser, the codec and the CLI in Node.
 */

declare const brand: unique symbol
type Brand<T, B extends string> = T & { readonly [brand]: B }

export type WigId = Brand<string, 'WigId'>
export type MeasureId = Brand<string, 'MeasureId'>
export type CheckInId = Brand<string, 'CheckInId'>
export type StepId = Brand<string, 'StepId'>
export type StrategyId = Brand<string, 'StrategyId'>
/** A plausible address, trimmed; case is kept as written (People matches emails without case). */
export type Email = Brand<string, 'Email'>

/** The contract's column each id lives in: how a problem names what was wrong. */
export type IdColumn = 'WigId' | 'MeasureId' | 'CheckInId' | 'StepId' | 'StrategyId' | 'Email'

/** Longest id the contract allows: room for any key a person types, short of a pasted paragraph. */
export const ID_MAX_LENGTH = 100
/** RFC 5321's limit on a whole address. */
export const EMAIL_MAX_LENGTH = 254

export type IdFault =
  | { problem: 'blank' }
  | { problem: 'tooLong'; length: number; limit: number }
  /** `at` is 1-based, counted in the trimmed text. */
  | { problem: 'controlCharacter'; codePoint: number; at: number }
  | { problem: 'notAnEmail' }

/** An id that is not one: its column, the text as given, and what is wrong. No English (see messages/errors.ts). */
export type IdProblem = { kind: 'badId'; column: IdColumn; text: string } & IdFault

/** C0 controls, DEL and C1 controls: never part of an id. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u
const EMAIL_SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/u

function checkText(column: IdColumn, text: string, limit: number): Result<string, IdProblem> {
  const trimmed = text.trim()
  if (trimmed === '') return err({ kind: 'badId', column, text, problem: 'blank' })
  const control = CONTROL.exec(trimmed)
  if (control) return err({ kind: 'badId', column, text, problem: 'controlCharacter', codePoint: control[0].codePointAt(0) ?? 0, at: control.index + 1 })
  if (trimmed.length > limit) return err({ kind: 'badId', column, text, problem: 'tooLong', length: trimmed.length, limit })
  return ok(trimmed)
}

function idOf<T extends string>(column: IdColumn) {
  return (text: string): Result<T, IdProblem> => checkText(column, text, ID_MAX_LENGTH) as Result<T, IdProblem>
}

export const parseWigId = idOf<WigId>('WigId')
export const parseMeasureId = idOf<MeasureId>('MeasureId')
export const parseCheckInId = idOf<CheckInId>('CheckInId')
export const parseStepId = idOf<StepId>('StepId')
export const parseStrategyId = idOf<StrategyId>('StrategyId')

export function parseEmail(text: string): Result<Email, IdProblem> {
  const checked = checkText('Email', text, EMAIL_MAX_LENGTH)
  if (!checked.ok) return checked
  if (!EMAIL_SHAPE.test(checked.value)) return err({ kind: 'badId', column: 'Email', text, problem: 'notAnEmail' })
  return ok(checked.value as Email)
}
