import { makeStyles, tokens } from '@fluentui/react-components'
import { fitScale, pathOf, type ChartLine, type ChartPoint } from './chart-scale.ts'

const WIDTH = 120
const HEIGHT = 32

const useStyles = makeStyles({
  svg: { display: 'block', width: `${WIDTH}px`, height: `${HEIGHT}px`, overflow: 'visible', flexShrink: 0 },
  actual: { fill: 'none', stroke: tokens.colorBrandForeground1, strokeWidth: '2', '@media (forced-colors: active)': { stroke: 'CanvasText' } },
  dot: { fill: tokens.colorBrandForeground1, '@media (forced-colors: active)': { fill: 'CanvasText' } },
  expected: { fill: 'none', stroke: tokens.colorNeutralForeground3, strokeWidth: '1.5', strokeDasharray: '4 3', '@media (forced-colors: active)': { stroke: 'GrayText' } },
})

/** Check-ins (solid) against the expected line (dashed); `label` reads the trend out for screen readers. */
export function Sparkline({ points, line, label }: { points: readonly ChartPoint[]; line: ChartLine | null; label: string }) {
  const styles = useStyles()
  const scale = fitScale(points, line, { left: 2, right: WIDTH - 2, top: 3, bottom: HEIGHT - 3 })
  const last = points.at(-1)
  return (
    <svg className={styles.svg} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label}>
      {line && <path className={styles.expected} d={pathOf([line.start, line.end], scale)} />}
      {points.length > 1 && <path className={styles.actual} d={pathOf(points, scale)} />}
      {last && <circle className={styles.dot} cx={scale.x(last.date)} cy={scale.y(last.value)} r="3" />}
    </svg>
  )
}
