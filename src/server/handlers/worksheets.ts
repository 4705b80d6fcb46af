import { err, exhaustiveSwitchError, ok, type Result } from '../../domain/result.ts'
import { addWorksheet, findWorksheet, listWorksheets, type SheetNameProblem } from '../../workbook/file/sheets.ts'
import { invalidArgument, itemAlreadyExists, itemNotFound, type GraphError } from '../errors.ts'
import { parseAddWorksheet } from '../protocol/bodies.ts'
import { json, type GraphRequest, type GraphResponse } from '../protocol/messages.ts'
import type { Workbook } from '../persistence/workbook-host.ts'
import type { Target } from './tables.ts'

/** Worksheets (res/workbookworksheet.md): list, get, add. */

type Reply = Result<GraphResponse, GraphError>

/** api/worksheet-list.md: 200 `{ value: [workbookWorksheet] }`, in the order of the tabs. */
export function listWorksheetsReply(wb: Workbook): Reply {
  return ok(json(200, { value: listWorksheets(wb) }))
}

/** api/worksheet-get.md: by id or name. */
export function getWorksheet(wb: Workbook, sheet: string): Reply {
  const found = findWorksheet(wb, sheet)
  const info = found ? listWorksheets(wb).find((s) => s.name === found.name) : undefined
  return info ? ok(json(200, info)) : err(itemNotFound(`The worksheet ${sheet}`))
}

const NAME_RULES: Readonly<Record<SheetNameProblem, string>> = {
  blank: 'cannot be blank',
  tooLong: 'is longer than 31 characters',
  character: 'cannot hold any of * ? : \\ / [ ]',
  apostrophe: 'cannot begin or end with an apostrophe',
  reserved: 'is reserved by Excel',
}

/**
 * api/worksheetcollection-add.md: a new sheet after the others, 200 with the workbookWorksheet.
 * A name a sheet already has (ignoring case, as Excel compares them) is 409 itemAlreadyExists;
 * one Excel would refuse is 400 invalidArgument.
 */
export function addWorksheetReply(target: Target, request: GraphRequest): Reply {
  const body = parseAddWorksheet(request.body)
  if (!body.ok) return err(invalidArgument(body.error))
  const added = addWorksheet(target.wb, body.value.name)
  if (!added.ok) {
    const refusal = added.error
    switch (refusal.kind) {
      case 'exists':
        return err(itemAlreadyExists(`A worksheet named ${refusal.name}`))
      case 'badName':
        return err(invalidArgument(`The sheet name "${refusal.name}" ${NAME_RULES[refusal.problem]}.`))
      default:
        return exhaustiveSwitchError(refusal, 'add sheet refusal')
    }
  }
  target.wrote()
  return ok(json(200, added.value))
}
