/**
 * Texts the privacy statement (/privacy), the help for professionals (/hulp) and the settings share:
 * the statement's defaults until the municipality fills in its own, and what the settings make
 * true about a signal's lifetime — so that every page says the same, and says what SluiS does.
 */
import type { PrivacyStatement, Settings } from '../settings/settings-service.ts';
import { type Html, h } from './html/jsx.ts';

/** The parts of the statement the municipality edits, by the name its form and the API use. */
export type PrivacyPart = keyof PrivacyStatement;

/** Who is responsible until the municipality says otherwise: the municipality, by the name on every page (the theme). */
export const defaultController = (municipalityName: string) => municipalityName;

/** What SluiS is for, in plain Dutch, until the municipality writes its own. */
export const DEFAULT_PURPOSES =
  'Professionals die u helpen, weten vaak niet van elkaar dat zij allemaal bij u betrokken zijn. SluiS laat hen dat weten, zodat zij kunnen samenwerken en u niet steeds opnieuw uw verhaal hoeft te doen. Eén van hen neemt dan de regie: die zorgt dat de hulp goed op elkaar aansluit. Als de samenwerking vastloopt, kan de gemeente helpen.';

/** Months in words: 24 → "2 jaar", 18 → "18 maanden", 1 → "1 maand". */
export function durationText(months: number): string {
  if (months > 0 && months % 12 === 0) return `${months / 12} jaar`;
  return months === 1 ? '1 maand' : `${months} maanden`;
}

type Lifetime = Pick<Settings, 'regime' | 'signalLifetimeMonths' | 'historyRetentionMonths'>;

/** How long a signal is active, as the settings make it: "… hoogstens 2 jaar actief", under the youth regime never past the 23rd birthday. */
export function activeText(settings: Lifetime): string {
  const lifetime = `Een signaal is hoogstens ${durationText(settings.signalLifetimeMonths)} actief`;
  return settings.regime === 'youth' ? `${lifetime}, en nooit langer dan tot de 23e verjaardag van de persoon.` : `${lifetime}.`;
}

/** What happens after a signal ends, as the settings make it. */
export function historyText(settings: Lifetime): string {
  return settings.historyRetentionMonths === 0
    ? 'Daarna wordt het meteen voorgoed verwijderd.'
    : `Daarna blijft het nog ${durationText(settings.historyRetentionMonths)} bewaard als geschiedenis: een nieuwe professional ziet dan wie betrokken was en wanneer, maar niet waarom. Daarna wordt het voorgoed verwijderd.`;
}

/** Text a municipality typed, as paragraphs (blank lines apart) with its line breaks kept; escaped like all text. */
export const TypedText = (props: { text: string }): Html => (
  <div class="sluis-typed-text">
    {props.text
      .split(/\n\s*\n/)
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => (
        <p class="utrecht-paragraph sluis-prewrap">{part}</p>
      ))}
  </div>
);
