/**
 * The initiator's file (art. 12.1) as a PDF for their own client file: the same record as
 * /casusoverleggen/<id>/verslag (consultation-views.tsx), as headings, term–value lines and rows,
 * in a standard font (Helvetica, WinAnsi: Dutch letters such as ë and é print). Built with pdfkit
 * (STACK.md: one PDF library for letters and records); nothing is written to disk.
 */
import PDFDocument from 'pdfkit';
import type { ConsultationView } from '../../case-consultations/case-consultation-service.ts';
import { formatDate, formatDateTime } from '../components.tsx';
import {
  BASIS_LABELS,
  CATEGORY_LABELS,
  CONSENT_METHOD_LABELS,
  GROUND_LABELS,
  INFORMING_METHOD_LABELS,
  KIND_LABELS,
  NO_CONSENT_REASON_LABELS,
  NOT_YET_INFORMED_LABELS,
  OUTCOME_LABELS,
  PARTICIPANT_STATE_LABELS,
  PARTY_LABELS,
  PARTY_WORDS,
  STATE_LABELS,
  WEIGHING_QUESTION_LABELS,
  wordList,
} from './consultation-labels.ts';

const day = (iso: string | Date) => formatDate(typeof iso === 'string' ? `${iso}T12:00:00Z` : iso);

/** The record as sections of lines, the PDF's only content. */
export function fileSections(view: ConsultationView): { heading: string; lines: string[] }[] {
  const name = (participantId: string) => view.participants.find((p) => p.id === participantId)?.professionalName ?? 'Oud-deelnemer';
  const person = view.person
    ? `${[view.person.name.givenNames, view.person.name.familyNamePrefix, view.person.name.familyName].filter(Boolean).join(' ')}, geboren ${day(view.person.dateOfBirth)}`
    : KIND_LABELS[view.kind];
  const none = (lines: string[], empty: string) => (lines.length > 0 ? lines : [empty]);
  return [
    {
      heading: 'Casusoverleg',
      lines: [
        `Over: ${person}`,
        `Doel: ${view.purpose}`,
        `Datum van het overleg: ${day(view.consultationOn)}`,
        `Gestart: ${day(view.startedAt)}`,
        `Status: ${view.closedAt && view.outcome ? `${STATE_LABELS.closed} op ${day(view.closedAt)}: ${OUTCOME_LABELS[view.outcome]}` : STATE_LABELS[view.state]}`,
        `Grondslag: ${BASIS_LABELS[view.basis.status]}`,
      ],
    },
    {
      heading: 'Deelnemers',
      lines: view.participants.map(
        (p) => `${p.professionalName}${p.isChair ? ' (voorzitter)' : ''}, ${p.organisationName}. Taak: ${p.legalTask}. ${PARTICIPANT_STATE_LABELS[p.state]}.`,
      ),
    },
    {
      heading: 'Toestemming',
      lines: none(
        view.consents.map(
          (c) =>
            `${PARTY_LABELS[c.givenBy]}, ${day(c.givenOn)}, ${CONSENT_METHOD_LABELS[c.method].toLowerCase()}. Gegevens: ${c.categories.map((k) => CATEGORY_LABELS[k]).join(', ')}. Voor: ${c.participantIds.map(name).join(', ')}.`,
        ),
        'Geen toestemming vastgelegd.',
      ),
    },
    ...(view.reasoning
      ? [
          {
            heading: 'Afweging zonder toestemming (art. 9)',
            lines: [
              `Waarom geen toestemming: ${NO_CONSENT_REASON_LABELS[view.reasoning.noConsentReason]}. ${view.reasoning.noConsentExplanation}`,
              `Grond: ${GROUND_LABELS[view.reasoning.ground]}`,
              ...(view.reasoning.vitalInterestMotivation ? [`Motivering vitaal belang: ${view.reasoning.vitalInterestMotivation}`] : []),
              ...Object.entries(WEIGHING_QUESTION_LABELS).map(
                ([q, label]) => `${label} ${view.reasoning!.answers[q as keyof typeof WEIGHING_QUESTION_LABELS]}`,
              ),
              `Overlegd met ${view.reasoning.officialConsulted} op ${day(view.reasoning.officialConsultedOn)}.`,
            ],
          },
        ]
      : []),
    {
      heading: 'Informeren van de persoon',
      lines: none(
        view.informings.map(
          (i) => `${day(i.informedOn)}: ${wordList(i.informed.map((p) => PARTY_WORDS[p]))}, ${INFORMING_METHOD_LABELS[i.method].toLowerCase()}.`,
        ),
        'Niet vastgelegd.',
      ),
    },
    {
      heading: 'Gedeelde gegevens',
      lines: none(
        view.sharings.map(
          (s) =>
            `${day(s.sharedOn)}: ${CATEGORY_LABELS[s.category]} aan ${name(s.participantId)}, voor: ${s.purpose}. Grond: ${s.ground === 'consent' ? 'toestemming' : 'zonder toestemming (art. 9)'}. Persoon geïnformeerd: ${s.clientInformedOn ? day(s.clientInformedOn) : s.notYetInformedReason ? `nog niet (${NOT_YET_INFORMED_LABELS[s.notYetInformedReason].toLowerCase()})` : 'met toestemming'}.`,
        ),
        'Geen gegevens gedeeld.',
      ),
    },
    {
      heading: 'Bijeenkomsten',
      lines: none(
        view.meetings.map((m) => `${day(m.heldOn)}. Aanwezig: ${m.attendeeIds.length > 0 ? wordList(m.attendeeIds.map(name)) : 'niet vastgelegd'}.`),
        'Geen bijeenkomsten.',
      ),
    },
    {
      heading: 'Actiepunten',
      lines: none(
        view.actionPoints.map(
          (a) =>
            `${a.description}. Wie: ${name(a.assigneeId)}. Uiterlijk ${day(a.dueOn)}. ${a.doneAt ? `Afgerond op ${day(a.doneAt)}.` : 'Nog niet afgerond.'}`,
        ),
        'Geen actiepunten.',
      ),
    },
  ];
}

/** The PDF of the initiator's file, as bytes. */
export function initiatorFilePdf(view: ConsultationView, printedAt: Date, options: { municipality: string }): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: 'Casusoverleg: verslag voor het dossier', Creator: 'SluiS' } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(16).text('Casusoverleg: verslag voor uw dossier');
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor('#444')
    .text(`${options.municipality} · SluiS · gemaakt op ${formatDateTime(printedAt)}`);
  doc.fillColor('#000');
  for (const section of fileSections(view)) {
    doc.moveDown(0.8).font('Helvetica-Bold').fontSize(12).text(section.heading);
    doc.font('Helvetica').fontSize(10);
    for (const line of section.lines) doc.moveDown(0.2).text(line);
  }
  doc.end();
  return done;
}
