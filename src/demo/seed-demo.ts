/**
 * A small demo region, so that a newcomer sees a match within a minute: five organisations in
 * different domains with covenants, their professionals, an API client each, an administrator, and
 * a few signals (one of them a match already). Tokens and ids are fixed so that the README's tour
 * can be followed with curl. Refuses to run on an index that already has organisations.
 */
import { hashPassword } from '../accounts/credentials.ts';
import { credentialsFromSecret } from '../api-clients/credentials.ts';
import type { Domain } from '../db/schema.ts';
import type { Services } from '../server/services.ts';
import type { ProfessionalActor, StaffActor } from '../shared/actor.ts';
import { amsterdamDate } from '../shared/calendar.ts';
import { conflict } from '../shared/errors.ts';
import type { FileSignalInput } from '../signals/signal-types.ts';

type DemoOrganisation = {
  key: string;
  name: string;
  domains: Domain[];
  description: string;
  signallingCriteria: string;
  professional: { id: string; name: string; email: string; phone: string; jobTitle: string };
};

export const DEMO_ADMIN_TOKEN = 'demo-admin.demo-admin-secret-not-for-production';
export const demoToken = (key: string) => `demo-${key}.demo-${key}-secret-not-for-production`;

export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  {
    key: 'wijkteam',
    name: 'Wijkteam Noord',
    domains: ['social_support', 'youth_care'],
    description: 'Ondersteuning thuis voor gezinnen en volwassenen in Noord: opvoeding, geldzaken, huishouden en mantelzorg.',
    signallingCriteria: 'Wij signaleren wanneer meerdere problemen samenkomen en andere hulpverleners waarschijnlijk ook betrokken zijn.',
    professional: {
      id: '00000000-0000-4000-8000-00000000d001',
      name: 'Sanne de Vries',
      email: 'sanne.devries@wijkteam.example',
      phone: '010 123 4501',
      jobTitle: 'Wijkteammedewerker',
    },
  },
  {
    key: 'ggz',
    name: 'GGZ Maasstad',
    domains: ['mental_health', 'health_care'],
    description: 'Behandeling bij psychische klachten voor jongeren en volwassenen.',
    signallingCriteria: 'Wij signaleren bij zorgen over veiligheid of zelfredzaamheid die buiten de behandeling vallen.',
    professional: {
      id: '00000000-0000-4000-8000-00000000d002',
      name: 'Ahmed El Amrani',
      email: 'a.elamrani@ggz.example',
      phone: '010 123 4502',
      jobTitle: 'Psychiater',
    },
  },
  {
    key: 'woonstad',
    name: 'Woonstad Wonen',
    domains: ['housing'],
    description: 'Woningcorporatie: verhuur, betalingsregelingen en aanpak van woonoverlast.',
    signallingCriteria: 'Wij signaleren bij huurachterstand met dreigende ontruiming of bij aanhoudende woonoverlast.',
    professional: {
      id: '00000000-0000-4000-8000-00000000d003',
      name: 'Lisa Bakker',
      email: 'l.bakker@woonstad.example',
      phone: '010 123 4503',
      jobTitle: 'Woonconsulent',
    },
  },
  {
    key: 'school',
    name: 'OBS De Regenboog',
    domains: ['education'],
    description: 'Openbare basisschool met zorgcoördinatie en schoolmaatschappelijk werk.',
    signallingCriteria: 'Wij signaleren bij zorgen over de ontwikkeling of thuissituatie van een leerling.',
    professional: {
      id: '00000000-0000-4000-8000-00000000d004',
      name: 'Mark Jansen',
      email: 'm.jansen@regenboog.example',
      phone: '010 123 4504',
      jobTitle: 'Intern begeleider',
    },
  },
  {
    key: 'schuldhulp',
    name: 'Schuldhulp Rijnmond',
    domains: ['work_and_income', 'welfare'],
    description: 'Schuldhulpverlening en budgetbeheer.',
    signallingCriteria: 'Wij signaleren bij problematische schulden in combinatie met andere zorgen.',
    professional: {
      id: '00000000-0000-4000-8000-00000000d005',
      name: 'Fatma Yilmaz',
      email: 'f.yilmaz@schuldhulp.example',
      phone: '010 123 4505',
      jobTitle: 'Schuldhulpverlener',
    },
  },
];

/**
 * Persons of the demo: the Rotterdam family of the RvIG's fictitious test persons
 * (src/population-register/rvig/test-data.json), so that the demo's embedded register knows them.
 * Their details are given as the register holds them, so the demo seeds the same with or without it.
 */
export const DEMO_PERSONS = {
  /** The father. One signal from the wijkteam: the tour files a second one from GGZ and sees a match. */
  adult: {
    bsn: '999999345',
    name: { givenNames: 'Johan', familyName: 'Groot Esselink' },
    dateOfBirth: '1985-05-27',
    gender: 'male' as const,
    address: { street: 'Hofdijk', houseNumber: '651', postcode: '3032 CG', city: 'Rotterdam' },
  },
  /** A daughter, 9 at the demo's time. Already matched: the school and the wijkteam. */
  child: {
    bsn: '999999394',
    name: { givenNames: 'Maud', familyName: 'Groot Esselink' },
    dateOfBirth: '2017-03-03',
    gender: 'female' as const,
    address: { street: 'Spaanseweg', houseNumber: '4', postcode: '3028 HW', city: 'Rotterdam' },
  },
  /** A son, 14 at the demo's time: GGZ's signal on him makes a family match with Maud's professionals. */
  sibling: {
    bsn: '999999369',
    name: { givenNames: 'Teun', familyName: 'Groot Esselink' },
    dateOfBirth: '2012-04-18',
    gender: 'male' as const,
    address: { street: 'Hofdijk', houseNumber: '651', postcode: '3032 CG', city: 'Rotterdam' },
  },
  /** The mother, on whom the README's web tour files (nothing is seeded on her). */
  tour: { bsn: '999999357', name: { givenNames: 'Wilma', familyName: 'Haverkamp' }, dateOfBirth: '1990-11-16', gender: 'female' as const },
};

/** Every demo web account signs in with this password and this authenticator secret (`sluis demo-code` prints the current code). Public: demo only. */
export const DEMO_PASSWORD = 'demo-wachtwoord-niet-voor-productie';
export const DEMO_TOTP_SECRET = 'KRUGS4ZANFZSAYJAMRSW23ZAONSWG4TF';
export const DEMO_ADMIN_EMAIL = 'demo.beheer@gemeente.example';
export const DEMO_OFFICER_EMAIL = 'demo.regie@gemeente.example';

async function demoWebAccount(services: Services, holder: { professionalId: string } | { staffMemberId: string }, email: string) {
  const now = services.clock.now();
  await services.db
    .insertInto('web_accounts')
    .values({
      email,
      created_at: now,
      updated_at: now,
      password_hash: await hashPassword(DEMO_PASSWORD),
      totp_secret: DEMO_TOTP_SECRET,
      totp_enrolled_at: now,
      professional_id: 'professionalId' in holder ? holder.professionalId : null,
      staff_member_id: 'staffMemberId' in holder ? holder.staffMemberId : null,
    })
    .execute();
}

export async function seedDemo(services: Services, publicUrl: string): Promise<string> {
  const existing = await services.organisations.list({});
  if (existing.length > 0) throw conflict('The index already has organisations; the demo region is only seeded into an empty index.');

  const admin = await services.staff.create(
    { kind: 'system', requestId: 'seed-demo' },
    { name: 'Demo Beheerder', email: DEMO_ADMIN_EMAIL },
    credentialsFromSecret('demo-admin', 'demo-admin-secret-not-for-production'),
  );
  const actor: StaffActor = { kind: 'staff', staffMemberId: admin.id, roles: ['municipality_admin'], apiClientId: null, requestId: 'seed-demo' };
  const today = amsterdamDate(services.clock.now());
  await demoWebAccount(services, { staffMemberId: admin.id }, DEMO_ADMIN_EMAIL);
  // The escalation officer ("functionaris"): the work list of escalated and stalled matches.
  const officer = await services.staff.create(actor, { name: 'Demo Functionaris', email: DEMO_OFFICER_EMAIL });
  await services.db
    .updateTable('staff_members')
    .set({ roles: ['escalation_officer'] })
    .where('id', '=', officer.id)
    .execute();
  await services.db.updateTable('api_clients').set({ revoked_at: services.clock.now() }).where('staff_member_id', '=', officer.id).execute();
  await demoWebAccount(services, { staffMemberId: officer.id }, DEMO_OFFICER_EMAIL);
  // The covenant's rule: youth care and social support coordinate before school, housing and the rest.
  await services.settings.update(actor, {
    coordinatorDomainPriority: ['youth_care', 'social_support', 'mental_health', 'work_and_income', 'housing', 'education'],
    // The demo municipality's parts of the privacy statement (/privacy), as a real one fills them in.
    privacyStatement: {
      contact: 'Gemeente Voorbeeld, team Privacy, Postbus 100, 1234 AB Voorbeeld, telefoon 14 010, privacy@gemeente.example',
      dataProtectionOfficer: 'De functionaris gegevensbescherming van de gemeente Voorbeeld: fg@gemeente.example',
    },
  });

  const professionals = new Map<string, ProfessionalActor>();
  for (const demo of DEMO_ORGANISATIONS) {
    const { key, professional, ...profile } = demo;
    const organisation = await services.organisations.create(actor, {
      ...profile,
      phone: professional.phone.replace(/\d\d$/, '00'),
      website: `https://${key}.example`,
    });
    // The school signals but does not coordinate (Zorg voor Jeugd's rule), as its covenant says.
    await services.covenants.start(actor, organisation.id, { reference: `Convenant SluiS ${new Date().getFullYear()}`, mayCoordinate: key !== 'school' });
    const { id, ...input } = professional;
    await services.professionals.create(actor, organisation.id, input, id);
    await demoWebAccount(services, { professionalId: id }, professional.email);
    // The wijkteam's professional also coordinates her organisation (professionals, profile, connections).
    if (key === 'wijkteam') await services.db.updateTable('professionals').set({ coordinator: true }).where('id', '=', id).execute();
    const client = await services.apiClients.createForOrganisation(
      actor,
      organisation.id,
      `${demo.name} cliëntregistratie`,
      credentialsFromSecret(`demo-${key}`, `demo-${key}-secret-not-for-production`),
    );
    professionals.set(key, { kind: 'professional', professionalId: id, organisationId: organisation.id, apiClientId: client.id, requestId: 'seed-demo' });
  }

  const file = (key: string, input: FileSignalInput) => services.signals.file(professionals.get(key)!, input);
  await file('wijkteam', { person: DEMO_PERSONS.adult, legalBasis: { basis: 'consent', givenBy: 'person', givenOn: today }, clientReference: 'WT-2041' });
  await file('school', {
    person: DEMO_PERSONS.child,
    legalBasis: { basis: 'informed', informed: ['legal_representative'], informedOn: today },
    clientReference: 'leerling 7781',
  });
  await file('wijkteam', {
    person: DEMO_PERSONS.child,
    legalBasis: { basis: 'informed', informed: ['legal_representative'], informedOn: today },
    clientReference: 'WT-2042',
  });
  // With a register, Teun and Maud share their registered parents: a family match (gezinsmatch).
  await file('ggz', {
    person: DEMO_PERSONS.sibling,
    legalBasis: { basis: 'informed', informed: ['person', 'legal_representative'], informedOn: today },
    clientReference: 'GGZ-3310',
  });

  const lines = [
    'Demo region created: 5 organisations with covenants, a professional and an API client each, 4 signals, 1 match and (with the population register) 1 family match.',
    '',
    `Administrator token:  ${DEMO_ADMIN_TOKEN}`,
    ...DEMO_ORGANISATIONS.map(
      (o) => `${o.name.padEnd(22)} token ${demoToken(o.key)}  professional ${o.professional.name} <${o.professional.email}> (${o.professional.id})`,
    ),
    '',
    `Web application: ${publicUrl}/inloggen — every demo account (the professionals' e-mail addresses above, ${DEMO_ADMIN_EMAIL} and ${DEMO_OFFICER_EMAIL})`,
    `signs in with the password ${DEMO_PASSWORD} and the code that \`npm run sluis -- demo-code\` prints.`,
    '',
    `Follow the tour in the README against ${publicUrl}/api/v1. These tokens are public: never seed the demo into a real index.`,
  ];
  return lines.join('\n');
}
