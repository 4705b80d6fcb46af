import { openFileStore } from '../../src/workbook/file/file-store.ts'
import { describeSetUp } from './set-up-contract.ts'

describeSetUp('the .xlsx file (exceljs)', async (path) => ({
  store: openFileStore(path),
  reopen: () => openFileStore(path),
  cleanup: async () => {},
}))
