import { Button, Link, makeStyles, tokens } from '@fluentui/react-components'
import type { Dashboard } from '../app/dashboard.ts'

const useStyles = makeStyles({
  title: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  cell: { fontWeight: tokens.fontWeightSemibold },
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
})

/** The contract check as a list: each problem with its cell, and "Go to cell" inside Excel. */
export function Health({ dashboard, goToCell }: { dashboard: Dashboard; goToCell?: (address: string) => void }) {
  const styles = useStyles()
  return (
    <section className={styles.stack} aria-labelledby="health-title">
      <Link href="#/">← All steps</Link>
      <h2 id="health-title" className={styles.title}>
        Workbook health
      </h2>
      {dashboard.problems.length === 0 ? (
        <p>The workbook meets the contract: every table, column and cell the product reads is in order.</p>
      ) : (
        <>
          <p>
            {dashboard.problems.length} problem{dashboard.problems.length === 1 ? '' : 's'}. Rows with a problem are still shown; fix the cell in the sheet and refresh.
          </p>
          <ul className={styles.list}>
            {dashboard.problems.map((p, i) => (
              <li key={i}>
                <span className={styles.cell}>{p.cell ?? `${p.table}${p.row === null ? '' : ` row ${p.row}`}`}</span>: {p.message}{' '}
                {goToCell && p.cell && (
                  <Button size="small" appearance="subtle" onClick={() => goToCell(p.cell ?? '')}>
                    Go to cell
                  </Button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
