/**
 * Making the information letters for a professional's own active signal (information-letter.ts):
 * the signal, its professional and organisation, and the municipality's name, contact and
 * controller from the settings. Only the signal's own professional gets them — anyone else, like a
 * random id, gets the same 404 —, and every letter made is audited under the person's pseudonym
 * (signal.information_letter_made, with its format and addressees). No BSN is read.
 */
import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import type { SettingsService } from '../settings/settings-service.ts';
import type { ProfessionalActor } from '../shared/actor.ts';
import { amsterdamDate } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { notFound, Problem } from '../shared/errors.ts';
import { addresseesOf, informationLetters, type Letter, type LetterBand, letterBand } from './information-letter.ts';
import { informationLetterPdf } from './information-letter-pdf.ts';
import type { LegalBasis } from './legal-basis.ts';
import type { IdentifiedBy } from './signal-schemas.ts';
import type { PersonDetails } from './signal-types.ts';

export type InformationLetterService = ReturnType<typeof createInformationLetterService>;

/** How the letter leaves: a PDF, the text page, or the API's JSON (recorded in the audit trail). */
export type LetterFormat = 'pdf' | 'text' | 'json';

export type InformationLetters = {
  signalId: string;
  band: LetterBand;
  letters: Letter[];
  /** The municipality's logo address (theme), for the PDF and the text page; undefined without one. */
  logoUrl: string | undefined;
  madeAt: Date;
};

export function createInformationLetterService(deps: { db: Kysely<DB>; clock: Clock; audit: AuditLog; settings: SettingsService; publicUrl: string }) {
  const { db, clock, audit, settings } = deps;
  const privacyPageUrl = new URL('/privacy', deps.publicUrl).toString();
  const logos = new Map<string, { at: number; bytes: Buffer | undefined }>();

  /**
   * The theme's logo as PNG or JPEG bytes for the PDF: fetched from its address (a same-site path
   * against the public URL), at most 1 MB, within 2 seconds, and kept for 10 minutes — a failure
   * too, so a logo that cannot be had does not slow every letter. Anything else: no logo.
   */
  async function logoBytes(logoUrl: string | undefined): Promise<Buffer | undefined> {
    if (!logoUrl) return undefined;
    const cached = logos.get(logoUrl);
    if (cached && clock.now().getTime() - cached.at < LOGO_CACHE_MS) return cached.bytes;
    let bytes: Buffer | undefined;
    try {
      const response = await fetch(new URL(logoUrl, deps.publicUrl), { signal: AbortSignal.timeout(2_000), redirect: 'follow' });
      const body = response.ok ? Buffer.from(await response.arrayBuffer()) : undefined;
      bytes = body && body.length <= 1_000_000 && isPngOrJpeg(body) ? body : undefined;
    } catch {
      bytes = undefined;
    }
    logos.set(logoUrl, { at: clock.now().getTime(), bytes });
    return bytes;
  }

  return {
    /**
     * The letters for the professional's own active signal, by the person's age today. 404 for
     * another professional's signal or no such id (audited as not_found); 409 signal_not_active for
     * an ended or expired one (its person details are gone).
     */
    async make(actor: ProfessionalActor, signalId: string, format: LetterFormat): Promise<InformationLetters> {
      const now = clock.now();
      const current = await settings.current();
      const made = await db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('signals as s')
          .innerJoin('persons as p', 'p.person_key', 's.person_key')
          .innerJoin('professionals as pr', 'pr.id', 's.professional_id')
          .innerJoin('organisations as o', 'o.id', 's.organisation_id')
          .select([
            's.id',
            's.person_key',
            's.status',
            's.filed_at',
            's.active_until',
            's.person_details',
            's.legal_basis',
            'p.identification',
            'pr.name as professional_name',
            'pr.job_title',
            'pr.phone',
            'pr.email',
            'o.name as organisation_name',
          ])
          .where('s.id', '=', signalId)
          .where('s.professional_id', '=', actor.professionalId)
          .where('s.organisation_id', '=', actor.organisationId)
          .executeTakeFirst();
        if (!row) return undefined;
        if (row.status !== 'active') return 'not_active' as const;
        const person = row.person_details as PersonDetails;
        const today = amsterdamDate(now);
        const identifiedBy = row.identification as IdentifiedBy;
        const band = letterBand(person.dateOfBirth, today, identifiedBy === 'unborn');
        const letters = informationLetters({
          today,
          municipality: {
            name: current.theme.municipalityName,
            controller: current.privacyStatement.controller ?? current.theme.municipalityName ?? 'De gemeente',
            contact: current.privacyStatement.contact,
            moreInformationUrl: current.privacyStatement.moreInformationUrl,
            privacyPageUrl,
          },
          organisation: row.organisation_name,
          professional: { name: row.professional_name, jobTitle: row.job_title, phone: row.phone, email: row.email },
          person: {
            givenNames: person.name.givenNames,
            familyNamePrefix: person.name.familyNamePrefix,
            familyName: person.name.familyName,
            dateOfBirth: person.dateOfBirth,
            identifiedBy,
            hasAddress: Boolean(person.address),
          },
          signal: { filedAt: row.filed_at, activeUntil: row.active_until, legalBasis: row.legal_basis as LegalBasis },
          lifetime: { historyRetentionMonths: current.historyRetentionMonths },
        });
        await audit.record(trx, now, {
          type: 'signal.information_letter_made',
          actor,
          subjectKey: row.person_key,
          resource: { type: 'signal', id: row.id },
          details: { format, addressees: addresseesOf(band).join(',') },
        });
        return { signalId: row.id, band, letters, logoUrl: current.theme.logoUrl, madeAt: now } satisfies InformationLetters;
      });
      if (made === 'not_active') {
        throw new Problem(409, 'signal_not_active', 'Conflict', 'This signal is no longer active: an information letter is made for an active signal only.');
      }
      if (made) return made;
      // Audited outside the transaction, as the other reads do.
      await audit.record(db, now, {
        type: 'signal.information_letter_made',
        outcome: 'not_found',
        actor,
        resource: { type: 'signal', id: signalId },
        details: { format },
      });
      throw notFound('signal');
    },

    /** The letters as one printable PDF, with the municipality's logo when it has a PNG or JPEG one. */
    async pdf(made: InformationLetters): Promise<Buffer> {
      return informationLetterPdf(made.letters, { logo: await logoBytes(made.logoUrl) });
    },
  };
}

const LOGO_CACHE_MS = 10 * 60_000;

const isPngOrJpeg = (bytes: Buffer) =>
  (bytes.length > 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) ||
  (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff);
