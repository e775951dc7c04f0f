/**
 * The population register (BRP) as SluiS sees it: one interface, three implementations chosen by
 * configuration (SLUIS_REGISTER): the RvIG's Haal Centraal BRP Personen API, an embedded register
 * read from the RvIG's fictitious test persons (demo, tests, trying SluiS out), or none (matching on
 * the BSN only, as before). SluiS asks only what matching and the pages need (see
 * docs/population-register.md); what comes back is stored minimally, parents and addresses as keyed
 * pseudonyms, never a parent's BSN in clear.
 */
import type { Bsn } from '../persons/bsn.ts';
import type { IsoDate } from '../shared/calendar.ts';

/** Why the register stopped keeping a person up to date (`opschortingBijhouding.reden`). */
export type Suspension = 'deceased' | 'emigrated' | 'ministerial_decree' | 'other';

/** A current residence in the Netherlands, as the register holds it. */
export type RegisteredAddress = {
  /** `adresseerbaarObjectIdentificatie` (BAG, 16 digits); undefined when the register gives none. */
  addressObjectId?: string;
  /** `functieAdres`: the home address (woonadres) or a postal address (briefadres). */
  function: 'home' | 'postal';
  street?: string;
  houseNumber?: string;
  houseNumberAddition?: string;
  postcode?: string;
  city?: string;
};

/** What the register says of one person: only the fields SluiS asks for. */
export type RegisteredPerson = {
  bsn: Bsn;
  name: { givenNames: string; familyNamePrefix?: string; familyName: string };
  /** Undefined when the register does not know it (a GBA date of all zeroes), or knows only part of it. */
  dateOfBirth?: IsoDate;
  gender: 'male' | 'female' | 'unknown';
  /** The registered parents that have a BSN (`ouders[].burgerservicenummer`). */
  parents: Bsn[];
  /** The current residence in the Netherlands; undefined when abroad or unknown. */
  address?: RegisteredAddress;
  /** `gemeenteVanInschrijving.code`, four digits ("0599" for Rotterdam); undefined when not registered in a municipality. */
  municipalityCode?: string;
  deceasedOn?: IsoDate;
  suspension?: { reason: Suspension; since?: IsoDate };
  /** `geheimhoudingPersoonsgegevens` above 0: the address is shown on no page. */
  confidential: boolean;
};

/** The register could not answer (down, too slow, refused us): the caller files anyway and verifies later. */
export class RegisterUnavailable extends Error {
  override readonly name = 'RegisterUnavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface PopulationRegister {
  readonly kind: 'haal-centraal' | 'embedded';
  /**
   * The registered persons with these BSNs, deceased ones included; a BSN the register does not
   * know is simply absent. Batches as the register requires (20 a call for Haal Centraal). Throws
   * RegisterUnavailable when the register cannot answer after the configured retries; never puts a
   * BSN in an error message or a log line.
   */
  lookup(bsns: readonly Bsn[]): Promise<RegisteredPerson[]>;
  /**
   * Where the register tells what changed (the BRP Update API, or the embedded register's applied
   * moves and deaths): follow a person from now on, stop following, and the persons followed that
   * changed since a moment. Absent when the register offers no such service: SluiS then re-reads
   * every person with an active signal daily.
   */
  /** Releases what the register holds open (connections to the register); absent when it holds nothing. */
  close?(): Promise<void>;
  readonly changes?: {
    follow(bsn: Bsn): Promise<void>;
    unfollow(bsn: Bsn): Promise<void>;
    /** The followed persons that changed on or after `since` (a date, as the Update API counts). */
    since(since: IsoDate): Promise<Bsn[]>;
    /** Every person followed now (`GET /volgindicaties`), so that SluiS can end the ones it no longer knows. */
    followed(): Promise<Bsn[]>;
  };
}
