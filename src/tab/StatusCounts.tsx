import { ToggleButton, makeStyles, tokens } from '@fluentui/react-components'
import { WIG_STATUSES, type WigStatus } from '../domain/model.ts'
import { statusIcon } from '../ui/StatusBadge.tsx'

const useStyles = makeStyles({
  list: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, listStyle: 'none', margin: 0, padding: 0 },
  count: { fontWeight: tokens.fontWeightBold, fontSize: tokens.fontSizeBase400, marginRight: '2px' },
})

/** A count per status; each is a button that filters to that status (pressed again, it clears). */
export function StatusCounts({ counts, selected, onSelect }: { counts: Record<WigStatus, number>; selected: WigStatus | ''; onSelect: (s: WigStatus | '') => void }) {
  const styles = useStyles()
  return (
    <ul className={styles.list} aria-label="WIGs per status">
      {WIG_STATUSES.map((status) => {
        const Icon = statusIcon(status)
        return (
          <li key={status}>
            <ToggleButton
              checked={selected === status}
              icon={<Icon aria-hidden="true" />}
              onClick={() => onSelect(selected === status ? '' : status)}
              data-status={status}
            >
              <span className={styles.count}>{counts[status]}</span> {status}
            </ToggleButton>
          </li>
        )
      })}
    </ul>
  )
}
