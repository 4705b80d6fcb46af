import { tokens } from '@fluentui/react-components'
import type { WigView } from '../app/dashboard.ts'
import { useSurfaceStyles } from '../ui/surface.ts'

/** A status set by hand is always shown with its note and what the rules would have said (WORKBOOK.md). */
export function ManualNote({ wig, small }: { wig: WigView; small?: boolean }) {
  const styles = useSurfaceStyles()
  if (!wig.manual) return null
  return (
    <p className={styles.manual} style={small ? { fontSize: tokens.fontSizeBase200 } : undefined}>
      Set by hand{wig.note ? `: ${wig.note}` : ''}. The rules say {wig.computedStatus}.
    </p>
  )
}
