/// <reference types="office-js" />
import { describe, expectTypeOf, it } from 'vitest'
import type { ExcelApi, ExcelContext, OfficeApi, RangeProxy, TableProxy, WorksheetProxy } from '../../../src/taskpane/office/office-api.ts'

/**
 * src/taskpane/office spells the part of Office.js it uses as its own small types (the pages do
 * not load the 190,000-line `@types/office-js` globals). These checks run in `tsc -b` (the test
 * project): each says the real Office.js object, as `@types/office-js` declares it, satisfies our
 * type, so a misspelt method or a wrong signature in office-api.ts fails the type-check.
 */
describe('Office.js as @types/office-js declares it satisfies the task pane\'s types', () => {
  it('Excel.run takes a batch over a context with tables, worksheets and sync (Excel JavaScript API: Excel.run)', () => {
    expectTypeOf<typeof Excel>().toExtend<ExcelApi>()
    expectTypeOf<Excel.RequestContext>().toExtend<ExcelContext>()
  })

  it('Table, Worksheet and Range have what "Show in sheet" and "Go to cell" use', () => {
    expectTypeOf<Excel.Table>().toExtend<TableProxy>()
    expectTypeOf<Excel.Worksheet>().toExtend<WorksheetProxy>()
    expectTypeOf<Excel.Range>().toExtend<RangeProxy>()
  })

  it('Office has onReady, HostType, PlatformType and the document URL (Office.onReady, Office.context.document.url)', () => {
    expectTypeOf<typeof Office>().toExtend<OfficeApi>()
  })
})
