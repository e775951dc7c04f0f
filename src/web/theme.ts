/**
 * The municipality's look: its name, logo and colours, as NL Design System tokens (CSS custom
 * properties) served at /assets/thema.css. Colours must keep text readable (WCAG AA contrast).
 */
import type { Theme } from '../settings/settings-service.ts';

export const DEFAULT_THEME = { municipalityName: 'Gemeente Voorbeeld', primaryColor: '#154273', primaryTextColor: '#ffffff' } as const;

export type ResolvedTheme = { municipalityName: string; logoUrl: string | undefined; primaryColor: string; primaryTextColor: string };

export const resolveTheme = (theme: Theme): ResolvedTheme => ({
  municipalityName: theme.municipalityName ?? DEFAULT_THEME.municipalityName,
  logoUrl: theme.logoUrl,
  primaryColor: theme.primaryColor ?? DEFAULT_THEME.primaryColor,
  primaryTextColor: theme.primaryTextColor ?? DEFAULT_THEME.primaryTextColor,
});

const channel = (hex: string, offset: number) => {
  const c = parseInt(hex.slice(offset, offset + 2), 16) / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};
const luminance = (hex: string) => 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);

/** The WCAG contrast ratio of two #rrggbb colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** Dutch problems with a theme, for the settings form; empty when fine. */
export function themeProblems(theme: Theme): string[] {
  const resolved = resolveTheme(theme);
  const ratio = contrastRatio(resolved.primaryColor, resolved.primaryTextColor);
  const onWhite = contrastRatio(resolved.primaryColor, '#ffffff');
  const problems: string[] = [];
  if (ratio < 4.5) problems.push(`De tekstkleur is op de hoofdkleur slecht leesbaar (contrast ${ratio.toFixed(1)}:1, nodig is 4,5:1).`);
  if (onWhite < 3) problems.push(`De hoofdkleur is op een witte achtergrond slecht zichtbaar (contrast ${onWhite.toFixed(1)}:1, nodig is 3:1).`);
  return problems;
}

export function themeCss(theme: Theme): string {
  const t = resolveTheme(theme);
  return `.sluis-theme {
  --sluis-primary: ${t.primaryColor};
  --sluis-primary-text: ${t.primaryTextColor};
  --utrecht-button-primary-action-background-color: ${t.primaryColor};
  --utrecht-button-primary-action-color: ${t.primaryTextColor};
  --utrecht-button-primary-action-hover-background-color: ${t.primaryColor};
  --utrecht-button-primary-action-hover-color: ${t.primaryTextColor};
  --utrecht-button-primary-action-focus-background-color: ${t.primaryColor};
  --utrecht-button-secondary-action-color: ${t.primaryColor};
  --utrecht-button-secondary-action-border-color: ${t.primaryColor};
  --utrecht-page-header-background-color: ${t.primaryColor};
  --utrecht-page-header-color: ${t.primaryTextColor};
}
`;
}
