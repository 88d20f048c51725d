import { createTheme } from '@mantine/core';

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
