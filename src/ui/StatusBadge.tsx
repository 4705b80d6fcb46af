import { makeStyles, tokens } from '@fluentui/react-components'
import {
  CheckmarkCircle16Filled,
  Clock16Regular,
  DismissCircle16Filled,
  ErrorCircle16Filled,
  QuestionCircle16Regular,
  Trophy16Filled,
  Warning16Filled,
  type FluentIcon,
} from '@fluentui/react-icons'
import type { WigStatus } from '../domain/model.ts'

type Tone = 'good' | 'warn' | 'bad' | 'neutral'

const LOOK: Record<WigStatus, { icon: FluentIcon; tone: Tone }> = {
  'On track': { icon: CheckmarkCircle16Filled, tone: 'good' },
  Achieved: { icon: Trophy16Filled, tone: 'good' },
  'At risk': { icon: Warning16Filled, tone: 'warn' },
  'Off track': { icon: ErrorCircle16Filled, tone: 'bad' },
  Missed: { icon: DismissCircle16Filled, tone: 'bad' },
  'No data': { icon: QuestionCircle16Regular, tone: 'neutral' },
  'Not started': { icon: Clock16Regular, tone: 'neutral' },
}

const useStyles = makeStyles({
  badge: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    paddingInline: tokens.spacingHorizontalS,
    paddingBlock: '2px',
    borderRadius: tokens.borderRadiusMedium,
    fontWeight: tokens.fontWeightSemibold,
    fontSize: tokens.fontSizeBase200,
    lineHeight: tokens.lineHeightBase200,
    whiteSpace: 'nowrap',
    '@media (forced-colors: active)': { border: `${tokens.strokeWidthThin} solid CanvasText` },
  },
  good: { backgroundColor: tokens.colorStatusSuccessBackground1, color: tokens.colorStatusSuccessForeground1, border: `${tokens.strokeWidthThin} solid ${tokens.colorStatusSuccessBorder1}` },
  warn: { backgroundColor: tokens.colorStatusWarningBackground1, color: tokens.colorStatusWarningForeground3, border: `${tokens.strokeWidthThin} solid ${tokens.colorStatusWarningBorder1}` },
  bad: { backgroundColor: tokens.colorStatusDangerBackground1, color: tokens.colorStatusDangerForeground1, border: `${tokens.strokeWidthThin} solid ${tokens.colorStatusDangerBorder1}` },
  neutral: { backgroundColor: tokens.colorNeutralBackground3, color: tokens.colorNeutralForeground2, border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
})

/** Status as icon and words, so colour is never the only signal. */
export function StatusBadge({ status, prefix }: { status: WigStatus; prefix?: string }) {
  const styles = useStyles()
  const { icon: Icon, tone } = LOOK[status]
  return (
    <span className={`${styles.badge} ${styles[tone]}`} data-status={status}>
      <Icon aria-hidden="true" />
      {prefix ? `${prefix} ${status}` : status}
    </span>
  )
}

export function statusIcon(status: WigStatus): FluentIcon {
  return LOOK[status].icon
}
