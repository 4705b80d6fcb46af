import { Field, Input, Select, makeStyles, tokens } from '@fluentui/react-components'
import { Search20Regular } from '@fluentui/react-icons'
import type { Dashboard } from '../app/dashboard.ts'
import { WIG_STATUSES } from '../domain/model.ts'
import { choices, GROUPINGS, type Filters, type Grouping } from './view-state.ts'

const useStyles = makeStyles({
  bar: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(150px, 1fr))', gap: tokens.spacingHorizontalM, alignItems: 'end' },
  field: { minWidth: 0 },
  select: { minWidth: 0, width: '100%', '& select': { minWidth: 0, width: '100%', textOverflow: 'ellipsis' } },
  search: { gridColumn: 'span 2', '@media (max-width: 480px)': { gridColumn: 'auto' } },
})

const GROUP_LABEL: Record<Grouping, string> = { pillar: 'Pillar and strategy', department: 'Department', owner: 'Owner' }

export function FiltersBar({ dashboard, filters, group, onFilters, onGroup }: { dashboard: Dashboard; filters: Filters; group: Grouping; onFilters: (f: Filters) => void; onGroup: (g: Grouping) => void }) {
  const styles = useStyles()
  const owners = new Map<string, string>()
  for (const w of dashboard.wigs) if (w.owner) owners.set(w.owner, w.ownerName || w.owner)
  const select = (label: string, value: string, options: readonly (readonly [string, string])[], onChange: (v: string) => void) => (
    <Field label={label} className={styles.field}>
      <Select className={styles.select} value={value} onChange={(_, d) => onChange(d.value)}>
        <option value="">All</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </Select>
    </Field>
  )
  const pairs = (values: string[]): [string, string][] => values.map((v) => [v, v])
  return (
    <div className={styles.bar} role="search" aria-label="Filter the WIGs">
      <Field label="Search" className={styles.search}>
        <Input type="search" contentBefore={<Search20Regular aria-hidden="true" />} value={filters.q} placeholder="Title, owner, pillar, WIG id…" onChange={(_, d) => onFilters({ ...filters, q: d.value })} />
      </Field>
      {select('Pillar', filters.pillar, pairs(choices(dashboard.wigs.map((w) => w.pillar))), (pillar) => onFilters({ ...filters, pillar }))}
      {select('Department', filters.department, pairs(choices(dashboard.wigs.map((w) => w.department))), (department) => onFilters({ ...filters, department }))}
      {select('Owner', filters.owner, [...owners.entries()].sort((a, b) => a[1].localeCompare(b[1])), (owner) => onFilters({ ...filters, owner }))}
      {select('Status', filters.status, pairs([...WIG_STATUSES]), (status) => onFilters({ ...filters, status: status as Filters['status'] }))}
      <Field label="Group by" className={styles.field}>
        <Select className={styles.select} value={group} onChange={(_, d) => onGroup(d.value as Grouping)}>
          {GROUPINGS.map((g) => (
            <option key={g} value={g}>
              {GROUP_LABEL[g]}
            </option>
          ))}
        </Select>
      </Field>
    </div>
  )
}
