import { openFileStore } from '../../src/workbook/file/file-store.ts'
import { describeWorkbookStore } from './store-contract.ts'

describeWorkbookStore('the .xlsx file (exceljs)', async ({ path }) => ({
  store: openFileStore(path),
  reopen: async () => openFileStore(path),
  cleanup: async () => {},
}))
