/** Why a page has no workbook to open (src/workbook/graph/page-source.ts); worded in src/messages/errors.ts. */
export type SourceError =
  | { kind: 'badWorkbookUrl'; reason: string }
  | { kind: 'noLocalServer' }
  | { kind: 'badLocalConfig' }
