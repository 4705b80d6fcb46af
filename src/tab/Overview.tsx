import { makeStyles, tokens } from '@fluentui/react-components'
import { useWindowVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, useState } from 'react'
import type { Dashboard, WigView } from '../app/dashboard.ts'
import { ExportButtons } from './ExportButtons.tsx'
import { FiltersBar } from './Filters.tsx'
import { StatusCounts } from './StatusCounts.tsx'
import { applyFilters, groupWigs, statusCounts, type Filters, type Grouping, type WigGroup } from './view-state.ts'
import { WigCard } from './WigCard.tsx'

/** Below this many cards every card is in the page (find-in-page and screen readers see them all); above, only what is on screen. */
const VIRTUALIZE_ABOVE = 60
const CARD_MIN_WIDTH = 300
const GAP = 12

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  grid: { display: 'grid', gridTemplateColumns: `repeat(auto-fill, minmax(min(${CARD_MIN_WIDTH}px, 100%), 1fr))`, gap: `${GAP}px`, listStyle: 'none', margin: 0, padding: 0 },
  strategy: { display: 'flex', flexDirection: 'column', minWidth: 0 },
  stackList: { display: 'flex', flexDirection: 'column', gap: `${GAP}px`, listStyle: 'none', margin: 0, padding: 0, flexGrow: 1 },
  group: { margin: `0 0 ${tokens.spacingVerticalS}`, fontSize: tokens.fontSizeBase500, lineHeight: tokens.lineHeightBase500, fontWeight: tokens.fontWeightSemibold },
  section: { margin: `0 0 ${tokens.spacingVerticalXS}`, fontSize: tokens.fontSizeBase200, lineHeight: tokens.lineHeightBase200, minHeight: '32px', fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2 },
  result: { margin: 0, color: tokens.colorNeutralForeground2 },
  empty: { padding: tokens.spacingHorizontalXL, textAlign: 'center', border: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke1}`, borderRadius: tokens.borderRadiusLarge },
})

type Props = { dashboard: Dashboard; filters: Filters; group: Grouping; onFilters: (f: Filters) => void; onGroup: (g: Grouping) => void }

export function Overview({ dashboard, filters, group, onFilters, onGroup }: Props) {
  const styles = useStyles()
  const counted = useMemo(() => applyFilters(dashboard.wigs, filters, { ignoreStatus: true }), [dashboard.wigs, filters])
  const shown = useMemo(() => applyFilters(dashboard.wigs, filters), [dashboard.wigs, filters])
  const groups = useMemo(() => groupWigs(shown, group), [shown, group])
  return (
    <div className={styles.stack}>
      <section aria-label="Status summary">
        <StatusCounts counts={statusCounts(counted)} selected={filters.status} onSelect={(status) => onFilters({ ...filters, status })} />
      </section>
      <FiltersBar dashboard={dashboard} filters={filters} group={group} onFilters={onFilters} onGroup={onGroup} />
      <ExportButtons dashboard={dashboard} filters={filters} />
      <p className={styles.result} role="status">
        {shown.length === dashboard.wigs.length ? `${shown.length} WIGs` : `${shown.length} of ${dashboard.wigs.length} WIGs match the filters`}
      </p>
      {shown.length === 0 ? (
        <div className={styles.empty}>No WIG matches these filters. Clear a filter or the search to see more.</div>
      ) : shown.length > VIRTUALIZE_ABOVE ? (
        <VirtualGroups groups={groups} />
      ) : (
        groups.map((g) => <Group key={g.key} group={g} />)
      )}
    </div>
  )
}

function Group({ group }: { group: WigGroup }) {
  const styles = useStyles()
  return (
    <section aria-label={group.label}>
      <h2 className={styles.group}>{group.label}</h2>
      {group.sections.length === 1 && !group.sections[0]?.label ? (
        <ul className={styles.grid}>
          {group.sections[0]?.wigs.map((w) => (
            <li key={w.id}>
              <WigCard wig={w} headingLevel={3} />
            </li>
          ))}
        </ul>
      ) : (
        // Most strategies hold one or two WIGs: strategies flow side by side, their WIGs stacked beneath each.
        <div className={styles.grid}>
          {group.sections.map((s) => (
            <section key={s.key} aria-label={s.label || group.label} className={styles.strategy}>
              <h3 className={styles.section}>{s.label}</h3>
              <ul className={styles.stackList}>
                {s.wigs.map((w) => (
                  <li key={w.id}>
                    <WigCard wig={w} headingLevel={4} />
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      )}
    </section>
  )
}

type Row = { key: string; kind: 'group'; label: string } | { key: string; kind: 'section'; label: string } | { key: string; kind: 'cards'; wigs: WigView[]; level: 3 | 4 }

function rowsOf(groups: readonly WigGroup[], columns: number): Row[] {
  const rows: Row[] = []
  for (const g of groups) {
    rows.push({ key: `g:${g.key}`, kind: 'group', label: g.label })
    for (const s of g.sections) {
      if (s.label) rows.push({ key: `s:${g.key}:${s.key}`, kind: 'section', label: s.label })
      for (let i = 0; i < s.wigs.length; i += columns) {
        rows.push({ key: `c:${g.key}:${s.key}:${i}`, kind: 'cards', wigs: s.wigs.slice(i, i + columns), level: s.label ? 4 : 3 })
      }
    }
  }
  return rows
}

/** Hundreds of cards: rows of cards (as many per row as fit) rendered only near the viewport. */
function VirtualGroups({ groups }: { groups: readonly WigGroup[] }) {
  const styles = useStyles()
  const container = useRef<HTMLDivElement>(null)
  const [columns, setColumns] = useState(1)
  useEffect(() => {
    const element = container.current
    if (!element) return
    const observer = new ResizeObserver(([entry]) => {
      const width = entry?.contentRect.width ?? CARD_MIN_WIDTH
      setColumns(Math.max(1, Math.floor((width + GAP) / (CARD_MIN_WIDTH + GAP))))
    })
    observer.observe(element)
    return () => observer.disconnect()
  }, [])
  const rows = useMemo(() => rowsOf(groups, columns), [groups, columns])
  const virtualizer = useWindowVirtualizer({
    count: rows.length,
    // Heights are remembered by row key: positions shift when the column count changes.
    getItemKey: (i) => rows[i]?.key ?? i,
    estimateSize: (i) => (rows[i]?.kind === 'cards' ? 390 : 40),
    overscan: 4,
    scrollMargin: container.current?.offsetTop ?? 0,
  })
  return (
    <div ref={container} style={{ position: 'relative', height: `${virtualizer.getTotalSize()}px` }}>
      {virtualizer.getVirtualItems().map((item) => {
        const row = rows[item.index]
        if (!row) return null
        return (
          <div
            key={row.key}
            ref={virtualizer.measureElement}
            data-index={item.index}
            style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${item.start - virtualizer.options.scrollMargin}px)`, paddingBottom: `${GAP}px` }}
          >
            {row.kind === 'group' ? (
              <h2 className={styles.group}>{row.label}</h2>
            ) : row.kind === 'section' ? (
              <h3 className={styles.section}>{row.label}</h3>
            ) : (
              <ul className={styles.grid} style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}>
                {row.wigs.map((w) => (
                  <li key={w.id}>
                    <WigCard wig={w} headingLevel={row.level} />
                  </li>
                ))}
              </ul>
            )}
          </div>
        )
      })}
    </div>
  )
}
