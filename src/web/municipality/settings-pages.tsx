/**
 * /beheer/instellingen: all of the municipality's settings in one form, each explained in plain
 * Dutch, including the look (name, logo, colours; unreadable colour pairs are refused).
 */
import type { FastifyInstance } from 'fastify';
import type { Settings, SettingsPatch, Theme } from '../../settings/settings-service.ts';
import { Alert, Button, ChoiceGroup, type FieldErrors, Form, Heading, Paragraph, TextField } from '../components.tsx';
import { type Html, h } from '../html/jsx.ts';
import { Page, type PageContext } from '../layout.tsx';
import { resolveTheme, themeProblems } from '../theme.ts';
import { field, queryParam, redirect, requireStaff, restoredForm, sendPage } from '../web-context.ts';
import { type AdminOptions, wholeNumber } from './admin-shared.ts';

type Values = Record<(typeof FIELDS)[number], string>;
const FIELDS = [
  'regime',
  'looptijd',
  'bewaartermijn',
  'audit-bewaartermijn',
  'casusoverleg-bewaartermijn',
  'verzoeken-bewaartermijn',
  'binnen-organisatie',
  'gezinsmatch',
  'gezinsmatch-leeftijd',
  'gezinsmatch-ouder',
  'adresmatch',
  'ongeboren',
  'mail',
  'vooraankondiging',
  'verlenging',
  'informeren-opvolging',
  'pogingen',
  'sessie-inactief',
  'sessie-maximaal',
  'gemeentenaam',
  'logo',
  'kleur-hoofd',
  'kleur-tekst',
] as const;

const NUMBERS = {
  looptijd: { key: 'signalLifetimeMonths', min: 1, max: 120, what: 'De looptijd', unit: 'maanden' },
  bewaartermijn: { key: 'historyRetentionMonths', min: 0, max: 240, what: 'De bewaartermijn', unit: 'maanden' },
  'audit-bewaartermijn': { key: 'auditRetentionMonths', min: 0, max: 1200, what: 'De bewaartermijn van de audit trail', unit: 'maanden' },
  'casusoverleg-bewaartermijn': {
    key: 'caseConsultationRetentionMonths',
    min: 1,
    max: 120,
    what: 'De bewaartermijn van een afgesloten casusoverleg',
    unit: 'maanden',
  },
  'verzoeken-bewaartermijn': {
    key: 'rightsRequestRetentionMonths',
    min: 1,
    max: 120,
    what: 'De bewaartermijn van een afgehandeld verzoek',
    unit: 'maanden',
  },
  vooraankondiging: { key: 'expiryNoticeDays', min: 0, max: 365, what: 'Het aantal dagen', unit: 'dagen' },
  'informeren-opvolging': { key: 'informingFollowUpDays', min: 1, max: 365, what: 'Het aantal dagen', unit: 'dagen' },
  'gezinsmatch-leeftijd': { key: 'familyMatchAgeLimit', min: 1, max: 99, what: 'De leeftijd', unit: 'jaar' },
  pogingen: { key: 'deliveryMaxAttempts', min: 1, max: 100, what: 'Het aantal pogingen', unit: 'pogingen' },
  'sessie-inactief': { key: 'sessionIdleMinutes', min: 5, max: 240, what: 'Het aantal minuten', unit: 'minuten' },
  'sessie-maximaal': { key: 'sessionAbsoluteHours', min: 1, max: 24, what: 'Het aantal uren', unit: 'uur' },
} as const;

function valuesOf(settings: Settings): Values {
  const theme = resolveTheme(settings.theme);
  return {
    regime: settings.regime,
    looptijd: String(settings.signalLifetimeMonths),
    bewaartermijn: String(settings.historyRetentionMonths),
    'audit-bewaartermijn': String(settings.auditRetentionMonths),
    'casusoverleg-bewaartermijn': String(settings.caseConsultationRetentionMonths),
    'verzoeken-bewaartermijn': String(settings.rightsRequestRetentionMonths),
    'binnen-organisatie': settings.matchWithinOrganisation ? 'ja' : 'nee',
    gezinsmatch: settings.familyMatching ? 'ja' : 'nee',
    'gezinsmatch-leeftijd': String(settings.familyMatchAgeLimit),
    'gezinsmatch-ouder': settings.familyMatchIncludesParent ? 'ja' : 'nee',
    adresmatch: settings.addressMatching ? 'ja' : 'nee',
    ongeboren: settings.unbornSignals ? 'ja' : 'nee',
    mail: settings.mailMode,
    vooraankondiging: String(settings.expiryNoticeDays),
    verlenging: settings.signalExtensionMonths === null ? '' : String(settings.signalExtensionMonths),
    'informeren-opvolging': String(settings.informingFollowUpDays),
    pogingen: String(settings.deliveryMaxAttempts),
    'sessie-inactief': String(settings.sessionIdleMinutes),
    'sessie-maximaal': String(settings.sessionAbsoluteHours),
    gemeentenaam: theme.municipalityName,
    logo: theme.logoUrl ?? '',
    'kleur-hoofd': theme.primaryColor,
    'kleur-tekst': theme.primaryTextColor,
  };
}

/** Coordination settings have their own form (/beheer/instellingen/regie). */
type CoordinationSettings = 'escalateNoCoordinatorWorkingDays' | 'escalateNoContactWorkingDays' | 'coordinatorDomainPriority';
/** So has the privacy statement (/beheer/instellingen/privacy). */
type PrivacySettings = 'privacyStatement';

/** The form's values checked; the complete new settings when all is well. */
export function readSettings(body: unknown): {
  values: Values;
  errors: FieldErrors;
  patch?: Required<Omit<SettingsPatch, 'theme' | CoordinationSettings | PrivacySettings>> & { theme: Theme };
} {
  const values = Object.fromEntries(FIELDS.map((name) => [name, field(body, name)])) as Values;
  const errors: FieldErrors = {};
  if (values.regime !== 'all_ages' && values.regime !== 'youth') errors.regime = 'Kies voor wie SluiS is: alle leeftijden of jongeren tot 23 jaar.';
  const numbers: Record<string, number> = {};
  for (const [name, rule] of Object.entries(NUMBERS)) {
    const value = wholeNumber(values[name as keyof typeof NUMBERS], rule.min, rule.max);
    if (value === undefined) errors[name] = `${rule.what} moet een heel getal zijn van ${rule.min} tot en met ${rule.max} ${rule.unit}.`;
    else numbers[rule.key] = value;
  }
  // Empty: extend by the signal lifetime (null); 0 switches extending off.
  const extension = values.verlenging === '' ? null : wholeNumber(values.verlenging, 0, 120);
  if (extension === undefined) errors.verlenging = 'Verlengen moet een heel getal zijn van 0 tot en met 120 maanden, of leeg (dan de looptijd).';
  if (values['binnen-organisatie'] !== 'ja' && values['binnen-organisatie'] !== 'nee')
    errors['binnen-organisatie'] = 'Kies of twee professionals van één organisatie een match maken.';
  if (values.gezinsmatch !== 'ja' && values.gezinsmatch !== 'nee')
    errors.gezinsmatch = 'Kies of signalen op kinderen van dezelfde ouder een gezinsmatch maken.';
  if (values['gezinsmatch-ouder'] !== 'ja' && values['gezinsmatch-ouder'] !== 'nee')
    errors['gezinsmatch-ouder'] = 'Kies of een signaal op de ouder zelf meetelt in de gezinsmatch.';
  if (values.adresmatch !== 'ja' && values.adresmatch !== 'nee')
    errors.adresmatch = 'Kies of signalen op personen op hetzelfde woonadres een adresmatch maken.';
  if (values.ongeboren !== 'ja' && values.ongeboren !== 'nee') errors.ongeboren = 'Kies of professionals een signaal op een ongeboren kind mogen afgeven.';
  if (values.mail !== 'full' && values.mail !== 'link_only') errors.mail = 'Kies wat er in de e-mail over een match staat.';
  if (!values.gemeentenaam) errors.gemeentenaam = 'Vul de naam van de gemeente in.';
  else if (values.gemeentenaam.length > 80) errors.gemeentenaam = 'De naam van de gemeente is te lang: hooguit 80 tekens.';
  if (values.logo && !(/^(https:\/\/|\/)[^\s"'<>]*$/.test(values.logo) && values.logo.length <= 500 && !values.logo.startsWith('//'))) {
    errors.logo = 'Vul een webadres in dat begint met https:// (of met / voor een bestand op deze site), of laat het veld leeg.';
  }
  const colour = /^#[0-9a-fA-F]{6}$/;
  if (!colour.test(values['kleur-hoofd'])) errors['kleur-hoofd'] = 'Vul de hoofdkleur in als # met zes tekens, bijvoorbeeld #154273.';
  if (!colour.test(values['kleur-tekst'])) errors['kleur-tekst'] = 'Vul de tekstkleur in als # met zes tekens, bijvoorbeeld #ffffff.';
  const theme: Theme = {
    municipalityName: values.gemeentenaam,
    primaryColor: values['kleur-hoofd'].toLowerCase(),
    primaryTextColor: values['kleur-tekst'].toLowerCase(),
    ...(values.logo && { logoUrl: values.logo }),
  };
  if (!errors['kleur-hoofd'] && !errors['kleur-tekst']) {
    for (const problem of themeProblems(theme)) {
      const name = problem.startsWith('De tekstkleur') ? 'kleur-tekst' : 'kleur-hoofd';
      errors[name] = errors[name] ? `${errors[name]} ${problem}` : problem;
    }
  }
  if (Object.values(errors).some(Boolean)) return { values, errors };
  return {
    values,
    errors,
    patch: {
      regime: values.regime as Settings['regime'],
      signalLifetimeMonths: numbers.signalLifetimeMonths!,
      historyRetentionMonths: numbers.historyRetentionMonths!,
      auditRetentionMonths: numbers.auditRetentionMonths!,
      caseConsultationRetentionMonths: numbers.caseConsultationRetentionMonths!,
      rightsRequestRetentionMonths: numbers.rightsRequestRetentionMonths!,
      matchWithinOrganisation: values['binnen-organisatie'] === 'ja',
      familyMatching: values.gezinsmatch === 'ja',
      familyMatchAgeLimit: numbers.familyMatchAgeLimit!,
      familyMatchIncludesParent: values['gezinsmatch-ouder'] === 'ja',
      addressMatching: values.adresmatch === 'ja',
      unbornSignals: values.ongeboren === 'ja',
      mailMode: values.mail as Settings['mailMode'],
      expiryNoticeDays: numbers.expiryNoticeDays!,
      signalExtensionMonths: extension ?? null,
      informingFollowUpDays: numbers.informingFollowUpDays!,
      deliveryMaxAttempts: numbers.deliveryMaxAttempts!,
      sessionIdleMinutes: numbers.sessionIdleMinutes!,
      sessionAbsoluteHours: numbers.sessionAbsoluteHours!,
      theme,
    },
  };
}

/** Only what changed, so that the audit trail says what was changed (the theme as it looks, defaults filled in). */
function changes(current: Settings, next: NonNullable<ReturnType<typeof readSettings>['patch']>): SettingsPatch {
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(next)) {
    const same =
      key === 'theme' ? JSON.stringify(resolveTheme(current.theme)) === JSON.stringify(resolveTheme(value as Theme)) : current[key as keyof Settings] === value;
    if (!same) patch[key] = value;
  }
  return patch as SettingsPatch;
}

function SettingsPage(props: { ctx: PageContext; values: Values; errors?: FieldErrors; done?: 'opgeslagen' | 'ongewijzigd' }): Html {
  const { values, errors = {} } = props;
  const failed = Object.values(errors).some(Boolean);
  const number = (id: keyof typeof NUMBERS, label: string, description: string) => (
    <TextField
      id={id}
      label={label}
      value={values[id]}
      inputmode="numeric"
      width="xs"
      maxlength={4}
      error={errors[id]}
      description={description}
      extra={{ pattern: '[0-9]*' }}
    />
  );
  return (
    <Page ctx={props.ctx} title={failed ? 'Fout: instellingen' : 'Instellingen'}>
      <div class="sluis-narrow">
        <Heading>Instellingen</Heading>
        {props.done === 'opgeslagen' ? (
          <Alert type="ok">
            De instellingen zijn opgeslagen. Ze gelden voor signalen die vanaf nu worden afgegeven of beëindigd; lopende signalen houden hun einddatum.
          </Alert>
        ) : null}
        {props.done === 'ongewijzigd' ? <Alert type="info">Er was niets gewijzigd.</Alert> : null}
        <Paragraph>Deze instellingen gelden voor de hele verwijsindex van de gemeente. Elke wijziging komt in de audit trail.</Paragraph>
        <Paragraph>
          Wanneer een match vanzelf wordt opgeschaald en wie de regie krijgt voorgesteld, stelt u in bij{' '}
          <a class="utrecht-link" href="/beheer/instellingen/regie">
            Regie en opschaling
          </a>
          .
        </Paragraph>
        <Paragraph>
          Wat inwoners op de privacypagina lezen (wie verantwoordelijk is, hoe zij de gemeente bereiken), vult u in bij{' '}
          <a class="utrecht-link" href="/beheer/instellingen/privacy">
            Privacyverklaring
          </a>
          .
        </Paragraph>
        <Form action="/beheer/instellingen" csrf={props.ctx.csrf} errors={errors}>
          <Heading level={2}>Voor wie</Heading>
          <ChoiceGroup
            id="regime"
            legend="Voor wie is de verwijsindex?"
            selected={values.regime}
            error={errors.regime}
            options={[
              {
                value: 'all_ages',
                label: 'Alle leeftijden (SluiS)',
                description: 'Professionals geven signalen af over kinderen, jongeren en volwassenen. Vanaf 23 jaar is toestemming van de persoon nodig.',
              },
              {
                value: 'youth',
                label: 'Jongeren tot 23 jaar (Verwijsindex Risicojongeren)',
                description: 'Alleen signalen over personen jonger dan 23 jaar, zoals de Jeugdwet regelt. Een signaal stopt vanzelf op de 23e verjaardag.',
              },
            ]}
          />

          <Heading level={2}>Looptijd en bewaren</Heading>
          {number(
            'looptijd',
            'Looptijd van een signaal (maanden)',
            'Zo lang blijft een signaal hoogstens actief. De professional kan het eerder beëindigen. Gebruikelijk: 24 maanden.',
          )}
          {number(
            'bewaartermijn',
            'Bewaartermijn na afloop (maanden)',
            'Zo lang ziet een nieuwe professional een beëindigd signaal nog als geschiedenis (wie was betrokken, wanneer). Daarna wordt het voorgoed verwijderd. Gebruikelijk: 60 maanden.',
          )}
          {number(
            'audit-bewaartermijn',
            'Bewaartermijn van de audit trail (maanden)',
            'Zo lang bewaart SluiS wie wanneer welke gegevens zag of wijzigde. Oudere regels worden voorgoed verwijderd; dat wordt zelf ook vastgelegd. Vul 0 in om alles te bewaren. Kies minstens de looptijd plus de bewaartermijn (gebruikelijk 84 maanden), zodat een betrokkene zolang kan nagaan wie zijn gegevens zag.',
          )}
          {number(
            'casusoverleg-bewaartermijn',
            'Bewaartermijn van een casusoverleg (maanden)',
            'Zo lang na het afsluiten bewaart SluiS een casusoverleg (deelnemers, toestemming of afweging, gedeelde gegevens, actiepunten). Daarna wordt het voorgoed verwijderd; alleen de audit trail en de cijfers blijven. Gebruikelijk: 12 maanden.',
          )}
          {number(
            'verzoeken-bewaartermijn',
            'Bewaartermijn van een verzoek over persoonsgegevens (maanden)',
            'Zo lang na het afhandelen bewaart SluiS een verzoek van een persoon (inzage, correctie, bezwaar …) met het besluit en de brief. Daarna wordt het voorgoed verwijderd; alleen de audit trail blijft. Gebruikelijk: 24 maanden.',
          )}
          {number(
            'vooraankondiging',
            'Bericht vóór het verlopen (dagen)',
            'Zoveel dagen voordat een signaal verloopt, krijgt de professional een bericht. Vul 0 in voor geen bericht.',
          )}
          <TextField
            id="verlenging"
            label="Verlengen met (maanden)"
            value={values.verlenging}
            inputmode="numeric"
            width="xs"
            maxlength={4}
            required={false}
            error={errors.verlenging}
            description="Is de professional nog betrokken, dan kan hij een signaal dat bijna verloopt verlengen met zoveel maanden: vanaf het bericht vóór het verlopen (of 28 dagen ervoor als dat bericht uit staat). Bij jongeren tot 23 jaar nooit voorbij de 23e verjaardag. Laat leeg om te verlengen met de looptijd; vul 0 in als verlengen niet mag."
            extra={{ pattern: '[0-9]*' }}
          />
          {number(
            'informeren-opvolging',
            'Vragen naar uitgesteld informeren na (dagen)',
            'Heeft een professional bij het afgeven het informeren uitgesteld, dan vraagt SluiS na zoveel dagen of het inmiddels gebeurd is, en daarna steeds weer na zoveel dagen. Gebruikelijk: 14 dagen.',
          )}

          <Heading level={2}>Matchen en e-mail</Heading>
          <ChoiceGroup
            id="binnen-organisatie"
            legend="Maken twee professionals van dezelfde organisatie een match?"
            selected={values['binnen-organisatie']}
            error={errors['binnen-organisatie']}
            options={[
              {
                value: 'nee',
                label: 'Nee',
                description: "Alleen signalen van verschillende organisaties maken een match. Collega's weten meestal al van elkaar.",
              },
              {
                value: 'ja',
                label: 'Ja',
                description: 'Ook twee professionals van één organisatie krijgen elkaars gegevens, bijvoorbeeld in een grote organisatie met aparte teams.',
              },
            ]}
          />
          <ChoiceGroup
            id="gezinsmatch"
            legend="Maken signalen op kinderen van dezelfde ouder een gezinsmatch?"
            selected={values.gezinsmatch}
            error={errors.gezinsmatch}
            options={[
              {
                value: 'ja',
                label: 'Ja',
                description:
                  'Twee signalen op kinderen met een gezamenlijke ouder in de BRP maken een gezinsmatch. De professionals horen dat een ander betrokken is bij een kind van dezelfde ouder, nooit welk kind. Alleen met een koppeling met de BRP.',
              },
              { value: 'nee', label: 'Nee', description: 'Alleen signalen op dezelfde persoon maken een match.' },
            ]}
          />
          {number(
            'gezinsmatch-leeftijd',
            'Gezinsmatch voor kinderen jonger dan (jaar)',
            'Alleen kinderen die op de dag zelf jonger zijn dan deze leeftijd tellen mee in een gezinsmatch, naar hun geboortedatum. Gebruikelijk: 23 jaar.',
          )}
          <ChoiceGroup
            id="gezinsmatch-ouder"
            legend="Telt een signaal op de ouder zelf mee in de gezinsmatch?"
            selected={values['gezinsmatch-ouder']}
            error={errors['gezinsmatch-ouder']}
            options={[
              { value: 'nee', label: 'Nee', description: 'Alleen signalen op de kinderen maken samen een gezinsmatch.' },
              { value: 'ja', label: 'Ja', description: 'Ook een signaal op de ouder zelf maakt een gezinsmatch met signalen op de kinderen.' },
            ]}
          />
          <ChoiceGroup
            id="adresmatch"
            legend="Maken signalen op personen op hetzelfde woonadres een adresmatch?"
            selected={values.adresmatch}
            error={errors.adresmatch}
            options={[
              {
                value: 'nee',
                label: 'Nee',
                description: 'Standaard. Zet dit pas aan als de lijst met uitgesloten adressen (instellingen, opvang) volledig is.',
              },
              {
                value: 'ja',
                label: 'Ja',
                description:
                  'Twee signalen op personen met hetzelfde woonadres in de BRP maken een adresmatch, behalve op de uitgesloten adressen. De professionals horen dat een ander betrokken is bij iemand op hetzelfde adres, nooit bij wie.',
              },
            ]}
          />
          <ChoiceGroup
            id="ongeboren"
            legend="Mogen professionals een signaal afgeven op een ongeboren kind?"
            selected={values.ongeboren}
            error={errors.ongeboren}
            options={[
              { value: 'nee', label: 'Nee', description: 'Standaard.' },
              {
                value: 'ja',
                label: 'Ja',
                description:
                  'Het kind wordt herkend aan het BSN van de moeder en de verwachte geboortedatum. Na de geboorte voegt de professional het BSN van het kind toe.',
              },
            ]}
          />
          <ChoiceGroup
            id="mail"
            legend="Wat staat er in de e-mail over een match?"
            selected={values.mail}
            error={errors.mail}
            options={[
              {
                value: 'full',
                label: 'De contactgegevens van de andere professionals',
                description: 'Naam, organisatie, telefoon en e-mail van de andere betrokken professionals. Nooit gegevens over de persoon.',
              },
              {
                value: 'link_only',
                label: 'Alleen een link naar SluiS',
                description: 'De professional logt in om te zien wie er nog meer betrokken is. Veiliger als mail buiten de organisatie kan komen.',
              },
            ]}
          />
          {number(
            'pogingen',
            'Pogingen om een bericht af te leveren',
            'Zo vaak probeert SluiS een mail of webhook af te leveren, met steeds langere pauzes. Lukt het dan nog niet, dan staat het bericht bij "Mislukte berichten" in het overzicht.',
          )}

          <Heading level={2}>Inloggen</Heading>
          {number(
            'sessie-inactief',
            'Automatisch uitloggen na (minuten zonder activiteit)',
            'Wie zo lang niets doet in SluiS, moet opnieuw inloggen. Gebruikelijk: 15 minuten.',
          )}
          {number(
            'sessie-maximaal',
            'Altijd uitloggen na (uur)',
            'Hoe lang iemand hoogstens ingelogd blijft, ook als hij steeds actief is. Gebruikelijk: 12 uur.',
          )}

          <Heading level={2}>Huisstijl</Heading>
          <Paragraph>
            De naam, het logo en de kleuren van de gemeente, bovenaan elke pagina. SluiS weigert kleuren waarbij de tekst slecht leesbaar wordt (WCAG-contrast).
          </Paragraph>
          <TextField
            id="gemeentenaam"
            label="Naam van de gemeente"
            value={values.gemeentenaam}
            maxlength={80}
            error={errors.gemeentenaam}
            description="Bijvoorbeeld: Gemeente Rotterdam."
          />
          <TextField
            id="logo"
            label="Adres van het logo"
            type="url"
            value={values.logo}
            maxlength={500}
            required={false}
            error={errors.logo}
            description="Een afbeelding op een https://-adres, of een pad op deze site dat begint met /. Laat leeg voor de letter S."
          />
          <TextField
            id="kleur-hoofd"
            label="Hoofdkleur"
            value={values['kleur-hoofd']}
            maxlength={7}
            width="s"
            error={errors['kleur-hoofd']}
            description="De kleur van de kopbalk en de knoppen, als # met zes tekens (bijvoorbeeld #154273)."
            extra={{ spellcheck: 'false' }}
          />
          <TextField
            id="kleur-tekst"
            label="Tekstkleur op de hoofdkleur"
            value={values['kleur-tekst']}
            maxlength={7}
            width="s"
            error={errors['kleur-tekst']}
            description="Meestal wit (#ffffff) of zwart (#000000)."
            extra={{ spellcheck: 'false' }}
          />

          <div class="sluis-actions">
            <Button>Instellingen opslaan</Button>
          </div>
        </Form>
      </div>
    </Page>
  );
}

export async function settingsPages(app: FastifyInstance, { services }: AdminOptions) {
  app.get('/beheer/instellingen', async (request, reply) => {
    requireStaff(request);
    const settings = await services.settings.reload();
    const done = queryParam(request, 'klaar');
    const kept = await restoredForm(request, '/beheer/instellingen');
    return sendPage(
      reply,
      <SettingsPage
        ctx={request.pageContext}
        values={kept ? readSettings(kept).values : valuesOf(settings)}
        done={done === 'opgeslagen' || done === 'ongewijzigd' ? done : undefined}
      />,
    );
  });

  app.post('/beheer/instellingen', async (request, reply) => {
    const { actor } = requireStaff(request);
    const { values, errors, patch } = readSettings(request.body);
    if (!patch) return sendPage(reply, <SettingsPage ctx={request.pageContext} values={values} errors={errors} />, 422);
    const changed = changes(await services.settings.reload(), patch);
    if (Object.keys(changed).length === 0) return redirect(reply, '/beheer/instellingen?klaar=ongewijzigd');
    await services.settings.update(actor, changed);
    return redirect(reply, '/beheer/instellingen?klaar=opgeslagen');
  });
}
