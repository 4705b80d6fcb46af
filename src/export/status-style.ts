import type { WigStatus } from '../domain/model.ts'

/**
 * The fill and text colour of each status, in the packet and the report alike. The status is
 * always written in words beside the colour, so colour is never the only signal; each pair has a
 * contrast ratio of at least 5.5:1 (WCAG 1.4.3 asks 4.5:1 for text).
 */
export const STATUS_COLORS: Record<WigStatus, { fill: string; text: string }> = {
  'On track': { fill: 'C6EFCE', text: '005A00' },
  Achieved: { fill: 'BDD7EE', text: '1F3864' },
  'At risk': { fill: 'FFEB9C', text: '6B4200' },
  'Off track': { fill: 'FFC7CE', text: '8A0005' },
  Missed: { fill: 'F8CBAD', text: '7A340A' },
  'No data': { fill: 'E7E6E6', text: '333333' },
  'Not started': { fill: 'F2F2F2', text: '404040' },
}

/** The overdue flag on a step: the same pair as Off track. */
export const OVERDUE_COLORS = { fill: 'FFC7CE', text: '8A0005' } as const
