import { type CSSVariablesResolver, createTheme } from '@mantine/core';

// System fonts only: the console must not fetch anything from outside the server, and the fonts a
// workstation already has cover Latin and Arabic scripts.
const systemFonts =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", "DejaVu Sans", Tahoma, Arial, sans-serif';

export const theme = createTheme({
  fontFamily: systemFonts,
  headings: { fontFamily: systemFonts },
  primaryColor: 'blue',
  // Darker shades than Mantine's default keep white-on-colour text above 4.5:1 contrast (WCAG AA).
  primaryShade: { light: 8, dark: 8 },
  focusRing: 'auto',
  defaultRadius: 'sm',
});

/** Colours for words on white or light grey, all above 4.5:1 contrast. */
export const tones = {
  success: '#1b5e20',
  danger: '#a51d1d',
  info: '#0b4f8a',
  neutral: '#343a40',
} as const;

/** Mantine's "dimmed" grey (used for input descriptions) is too pale on white; this one reads at 8:1. */
export const cssVariablesResolver: CSSVariablesResolver = (current) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': current.colors.gray[7] ?? '#495057',
    // Error messages and the text of an invalid input: Mantine's red.6 reads at only 3.3:1.
    '--mantine-color-error': tones.danger,
  },
  dark: {},
});
