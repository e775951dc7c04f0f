/**
 * `sluis register move|death|emigrate|parents|confidential`: changes applied to the embedded register, for the demo, the
 * tests and a municipality trying SluiS out. They are written to the embedded register's changes file
 * in the data directory; a running SluiS reads that file again when it changed and applies the change
 * at its next sweep (jobs/register-changes.ts), as it would a change from the real register. Nothing
 * about the person is printed: not the BSN, not the name, not the address.
 */
import { createHash } from 'node:crypto';
import { Bsn } from '../persons/bsn.ts';
import { amsterdamDate, type IsoDate, isValidIsoDate } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import type { EmbeddedRegister } from './embedded-register.ts';
import type { RegisteredAddress } from './population-register.ts';

export const REGISTER_USAGE = `Usage (with SLUIS_REGISTER=embedded):
  sluis register move <bsn> --straat <street> --huisnummer <n> --postcode <1234AB> --woonplaats <place> [--gemeente <0363>] [--object <16 digits>]
  sluis register death <bsn> [--datum YYYY-MM-DD]
  sluis register emigrate <bsn> [--datum YYYY-MM-DD]
  sluis register parents <bsn> [<parent-bsn> [<parent-bsn>]]
  sluis register confidential <bsn> [--geheimhouding ja|nee]

--gemeente is the municipality code (four digits) the person moves to; by default their current one.
--object is the BAG address object id; by default one made up from the municipality, postcode and number.
--datum defaults to today.
parents sets the person's registered parents to the BSNs given (none, one or two): a recognition or an
adoption adds one, a correction removes one.
confidential makes the record confidential (geheimhouding), or with --geheimhouding nee no longer.
The running SluiS applies the change at its next sweep.`;

export type RegisterCommand =
  | { kind: 'move'; bsn: Bsn; address: RegisteredAddress; municipalityCode: string | undefined }
  | { kind: 'death' | 'emigrate'; bsn: Bsn; date: IsoDate | undefined }
  | { kind: 'parents'; bsn: Bsn; parents: Bsn[] }
  | { kind: 'confidential'; bsn: Bsn; confidential: boolean };

const KINDS = ['move', 'death', 'emigrate', 'parents', 'confidential'] as const;
const isKind = (kind: string | undefined): kind is (typeof KINDS)[number] => (KINDS as readonly (string | undefined)[]).includes(kind);

/** Parses the arguments after `sluis register`; every problem at once, without the BSN in any of them. */
export function parseRegisterCommand(args: readonly string[]): { command: RegisterCommand } | { problems: string[] } {
  const [kind, digits, ...rest] = args;
  const problems: string[] = [];
  if (!isKind(kind)) return { problems: ['Say what happened: move, death, emigrate, parents or confidential.'] };
  const bsn = digits ? Bsn.parse(digits) : undefined;
  if (!bsn) problems.push('The second argument must be a BSN (nine digits that pass the 11-test).');
  if (kind === 'parents') return parentsCommand(bsn, rest, problems);
  const options = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const name = rest[i]!;
    const value = rest[i + 1];
    if (!name.startsWith('--') || value === undefined) problems.push(`Expected --option value, found "${name.startsWith('--') ? name : '…'}".`);
    else options.set(name.slice(2), value);
  }
  const allowed =
    kind === 'move' ? ['straat', 'huisnummer', 'postcode', 'woonplaats', 'gemeente', 'object'] : kind === 'confidential' ? ['geheimhouding'] : ['datum'];
  for (const name of options.keys()) if (!allowed.includes(name)) problems.push(`--${name} is not an option of "${kind}".`);
  if (kind === 'move') {
    for (const required of ['straat', 'huisnummer', 'postcode', 'woonplaats']) if (!options.get(required)) problems.push(`--${required} is required.`);
    const postcode = options.get('postcode')?.replace(/\s+/g, '').toUpperCase();
    if (postcode && !/^[1-9][0-9]{3}[A-Z]{2}$/.test(postcode)) problems.push('--postcode must look like 1234AB.');
    const number = options.get('huisnummer');
    if (number && !/^[1-9][0-9]{0,4}$/.test(number)) problems.push('--huisnummer must be a number.');
    const code = options.get('gemeente');
    if (code && !/^[0-9]{4}$/.test(code)) problems.push('--gemeente must be a municipality code of four digits (0363: Amsterdam).');
    const object = options.get('object');
    if (object && !/^[0-9]{16}$/.test(object)) problems.push('--object must be 16 digits.');
    if (problems.length > 0 || !bsn) return { problems };
    return {
      command: {
        kind,
        bsn,
        municipalityCode: code,
        address: {
          function: 'home',
          ...(object && { addressObjectId: object }),
          street: options.get('straat')!,
          houseNumber: number!,
          postcode: postcode!,
          city: options.get('woonplaats')!,
        },
      },
    };
  }
  if (kind === 'confidential') {
    const value = options.get('geheimhouding') ?? 'ja';
    if (value !== 'ja' && value !== 'nee') problems.push('--geheimhouding must be ja or nee.');
    if (problems.length > 0 || !bsn) return { problems };
    return { command: { kind, bsn, confidential: value === 'ja' } };
  }
  const date = options.get('datum');
  if (date !== undefined && !isValidIsoDate(date)) problems.push('--datum must be a date YYYY-MM-DD.');
  if (problems.length > 0 || !bsn) return { problems };
  return { command: { kind, bsn, date } };
}

/** `parents <bsn> [<parent-bsn> …]`: at most two parents, each a BSN, none the person's own; never a BSN in a problem. */
function parentsCommand(bsn: Bsn | undefined, rest: readonly string[], problems: string[]): { command: RegisterCommand } | { problems: string[] } {
  const parents: Bsn[] = [];
  for (const [i, value] of rest.entries()) {
    const parent = Bsn.parse(value);
    if (!parent) problems.push(`Parent ${i + 1} must be a BSN (nine digits that pass the 11-test).`);
    else if (bsn && parent.reveal() === bsn.reveal()) problems.push(`Parent ${i + 1} is the person themself.`);
    else if (!parents.some((p) => p.reveal() === parent.reveal())) parents.push(parent);
  }
  if (rest.length > 2) problems.push('A person has at most two registered parents.');
  if (problems.length > 0 || !bsn) return { problems };
  return { command: { kind: 'parents', bsn, parents } };
}

/** A made-up BAG object id for a move without one: the municipality, 01 (a verblijfsobject), and ten digits of the postcode and number. */
export function fictitiousAddressObjectId(municipalityCode: string, address: RegisteredAddress): string {
  const digest = createHash('sha256')
    .update(`${address.postcode}|${address.houseNumber}|${address.houseNumberAddition ?? ''}`)
    .digest();
  return `${municipalityCode}01${(digest.readBigUInt64BE() % 10_000_000_000n).toString().padStart(10, '0')}`;
}

/** Applies the command to the embedded register (its changes file); says what was done, without person data. */
export async function runRegisterCommand(register: EmbeddedRegister, command: RegisterCommand, clock: Clock): Promise<string> {
  const today = amsterdamDate(clock.now());
  if (command.kind === 'move') {
    const [current] = await register.lookup([command.bsn]);
    if (!current) throw new Error('The embedded register holds no person with this BSN; nothing was applied.');
    const municipalityCode = command.municipalityCode ?? current.municipalityCode;
    if (!municipalityCode) throw new Error('The person is registered in no municipality: give --gemeente.');
    const address = { ...command.address, addressObjectId: command.address.addressObjectId ?? fictitiousAddressObjectId(municipalityCode, command.address) };
    await register.applyMove(command.bsn, { address, municipalityCode });
    const where = municipalityCode === current.municipalityCode ? 'within the same municipality' : `to municipality ${municipalityCode}`;
    return `Applied a move ${where} to the embedded register. A running SluiS applies it at its next sweep.`;
  }
  if (command.kind === 'parents') {
    await register.applyParents(command.bsn, command.parents);
    return 'Applied a change of the registered parents to the embedded register. A running SluiS applies it at its next sweep.';
  }
  if (command.kind === 'confidential') {
    await register.applyConfidentiality(command.bsn, command.confidential);
    return `Applied ${command.confidential ? 'confidentiality (geheimhouding) to' : 'the end of confidentiality (geheimhouding) to'} a record in the embedded register. A running SluiS applies it at its next sweep.`;
  }
  if (command.kind === 'death') await register.applyDeath(command.bsn, command.date ?? today);
  else await register.applyEmigration(command.bsn, command.date ?? today);
  return `Applied ${command.kind === 'death' ? 'a death' : 'an emigration'} on ${command.date ?? today} to the embedded register. A running SluiS applies it at its next sweep.`;
}
