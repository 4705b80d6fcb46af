/** The icons scripts/icons.ts renders from assets/icon.svg, and their sizes in pixels. */
export const ICONS = {
  /** The app package's `icons.color`: full colour, 192×192. */
  color: { file: 'icon-color.png', size: 192, kind: 'color' },
  /** The app package's `icons.outline`: white on transparent, 32×32. */
  outline: { file: 'icon-outline.png', size: 32, kind: 'outline' },
  /** Hosted beside the pages: the Excel ribbon button (16, 32, 80) and the XML manifest's IconUrl (32) and HighResolutionIconUrl (64). */
  hosted16: { file: 'icon-16.png', size: 16, kind: 'color' },
  hosted32: { file: 'icon-32.png', size: 32, kind: 'color' },
  hosted64: { file: 'icon-64.png', size: 64, kind: 'color' },
  hosted80: { file: 'icon-80.png', size: 80, kind: 'color' },
} as const
