import { makeStyles, tokens } from '@fluentui/react-components'
import type { IsoDate } from '../domain/dates.ts'
import { fitScale, pathOf, type ChartLine, type ChartPoint } from './chart-scale.ts'

const WIDTH = 640
const HEIGHT = 260
const BOX = { left: 64, right: WIDTH - 16, top: 16, bottom: HEIGHT - 40 }

const useStyles = makeStyles({
  figure: { margin: 0 },
  svg: { display: 'block', width: '100%', maxWidth: `${WIDTH}px`, height: 'auto' },
  axis: { stroke: tokens.colorNeutralStroke1, strokeWidth: '1', '@media (forced-colors: active)': { stroke: 'CanvasText' } },
  label: { fill: tokens.colorNeutralForeground2, fontSize: '12px', '@media (forced-colors: active)': { fill: 'CanvasText' } },
  actual: { fill: 'none', stroke: tokens.colorBrandForeground1, strokeWidth: '2.5', '@media (forced-colors: active)': { stroke: 'Highlight' } },
  dot: { fill: tokens.colorBrandForeground1, '@media (forced-colors: active)': { fill: 'Highlight' } },
  expected: { fill: 'none', stroke: tokens.colorNeutralForeground3, strokeWidth: '1.5', strokeDasharray: '6 4', '@media (forced-colors: active)': { stroke: 'GrayText' } },
  target: { stroke: tokens.colorPaletteGreenBorderActive, strokeWidth: '1.5', strokeDasharray: '2 3', '@media (forced-colors: active)': { stroke: 'CanvasText' } },
  asOf: { stroke: tokens.colorPaletteMarigoldBorderActive, strokeWidth: '1.5', '@media (forced-colors: active)': { stroke: 'CanvasText' } },
  caption: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, marginTop: tokens.spacingVerticalXS },
})

export type TrajectoryChartProps = {
  points: readonly ChartPoint[]
  line: ChartLine | null
  asOf: IsoDate
  format: (value: number) => string
  /** The text alternative: what the chart shows, in a sentence or two. */
  description: string
}

/** The detail view's chart: check-ins, the expected line, the target and an as-of marker. Loaded lazily. */
export default function TrajectoryChart({ points, line, asOf, format, description }: TrajectoryChartProps) {
  const styles = useStyles()
  const scale = fitScale(points, line, BOX, { dates: [asOf] })
  const target = line?.end
  const values = [...points.map((p) => p.value), ...(line ? [line.start.value, line.end.value] : [])]
  const low = values.length > 0 ? Math.min(...values) : null
  const high = values.length > 0 ? Math.max(...values) : null
  const first = line?.start.date ?? points[0]?.date
  const lastDate = line?.end.date ?? points.at(-1)?.date
  return (
    <figure className={styles.figure}>
      <svg className={styles.svg} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={description}>
        <line className={styles.axis} x1={BOX.left} x2={BOX.left} y1={BOX.top} y2={BOX.bottom} />
        <line className={styles.axis} x1={BOX.left} x2={BOX.right} y1={BOX.bottom} y2={BOX.bottom} />
        {high !== null && <text className={styles.label} x={BOX.left - 6} y={scale.y(high) + 4} textAnchor="end">{format(high)}</text>}
        {low !== null && low !== high && <text className={styles.label} x={BOX.left - 6} y={scale.y(low) + 4} textAnchor="end">{format(low)}</text>}
        {first && <text className={styles.label} x={BOX.left} y={BOX.bottom + 18} textAnchor="start">{first}</text>}
        {lastDate && lastDate !== first && <text className={styles.label} x={BOX.right} y={BOX.bottom + 18} textAnchor="end">{lastDate}</text>}
        {target && <line className={styles.target} x1={BOX.left} x2={BOX.right} y1={scale.y(target.value)} y2={scale.y(target.value)} />}
        {line && <path className={styles.expected} d={pathOf([line.start, line.end], scale)} />}
        <line className={styles.asOf} x1={scale.x(asOf)} x2={scale.x(asOf)} y1={BOX.top} y2={BOX.bottom} />
        <text className={styles.label} x={scale.x(asOf)} y={BOX.bottom + 32} textAnchor="middle">as of {asOf}</text>
        {points.length > 1 && <path className={styles.actual} d={pathOf(points, scale)} />}
        {points.map((p) => (
          <circle key={`${p.date}-${p.value}`} className={styles.dot} cx={scale.x(p.date)} cy={scale.y(p.value)} r="3.5" />
        ))}
      </svg>
      <figcaption className={styles.caption}>Solid: check-ins. Dashed: where the rules expect it to be. Dotted: the target. Vertical line: the as-of date.</figcaption>
    </figure>
  )
}
