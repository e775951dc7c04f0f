/**
 * The information letters as one printable PDF (A4): each letter on its own page(s), with the
 * municipality's logo when it has one (PNG or JPEG), its name, the date, the subject, and the
 * sections of information-letter.ts — the same words as the text version. A standard font
 * (Helvetica, WinAnsi: Dutch letters such as ë and é print). Built with pdfkit, in memory.
 */
import PDFDocument from 'pdfkit';
import type { Letter } from './information-letter.ts';

export type LetterPdfOptions = {
  /** The municipality's logo as PNG or JPEG bytes; left out when there is none or it cannot be drawn. */
  logo?: Buffer | undefined;
};

/** The letters as PDF bytes. */
export function informationLetterPdf(letters: Letter[], options: LetterPdfOptions = {}): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 64, info: { Title: letters[0]?.subject ?? 'Informatie over SluiS', Creator: 'SluiS' } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  letters.forEach((letter, index) => {
    if (index > 0) doc.addPage();
    drawLetter(doc, letter, options.logo);
  });
  doc.end();
  return done;
}

function drawLetter(doc: PDFKit.PDFDocument, letter: Letter, logo: Buffer | undefined) {
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  if (logo) {
    try {
      doc.image(logo, doc.page.margins.left, doc.page.margins.top, { fit: [160, 56] });
      doc.y = doc.page.margins.top + 64;
    } catch {
      // Not an image pdfkit can draw (an SVG, say): the letter goes on without it.
    }
  }
  doc.font('Helvetica-Bold').fontSize(12).text(letter.municipality, { width });
  doc.font('Helvetica').fontSize(10).fillColor('#444').text(letter.date, { width });
  doc.fillColor('#000').moveDown(1.5);
  doc.font('Helvetica-Bold').fontSize(15).text(letter.subject, { width });
  doc.moveDown(1).font('Helvetica').fontSize(11).text(letter.salutation, { width });
  for (const section of letter.sections) {
    doc.moveDown(0.9).font('Helvetica-Bold').fontSize(12).text(section.heading, { width });
    doc.font('Helvetica').fontSize(11);
    for (const paragraph of section.paragraphs) doc.moveDown(0.3).text(paragraph, { width, lineGap: 2 });
    if (section.list?.length) {
      doc.moveDown(0.3);
      doc.list(section.list, { width: width - 16, lineGap: 2, bulletRadius: 2, textIndent: 12, bulletIndent: 4 });
      doc.x = doc.page.margins.left;
    }
    for (const paragraph of section.after ?? []) doc.moveDown(0.3).text(paragraph, { width, lineGap: 2 });
  }
  doc.moveDown(1.2);
  for (const line of letter.closing) doc.text(line || ' ', { width });
}
