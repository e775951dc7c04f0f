/**
 * The text a PDF shows, for tests that read a rendered PDF back: each content stream inflated, the
 * strings of its Tj and TJ operators decoded (WinAnsi, as latin1), joined by spaces. Enough for
 * pdfkit's standard fonts; not a general PDF reader.
 */
import { inflateSync } from 'node:zlib';

export function pdfText(pdf: Buffer): string {
  const text: string[] = [];
  for (const match of pdf.toString('latin1').matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(match[1]!, 'latin1')).toString('latin1');
    } catch {
      content = match[1]!;
    }
    for (const op of content.matchAll(/\[((?:<[0-9a-fA-F]*>|[^\]])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      const pieces = op[1] !== undefined ? [...op[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]!) : [op[2]!];
      text.push(pieces.map((hex) => Buffer.from(hex, 'hex').toString('latin1')).join(''));
    }
  }
  return text.join(' ').replace(/\s+/g, ' ');
}

/** How many pages a PDF has (its /Type /Page objects). */
export const pdfPageCount = (pdf: Buffer): number => pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0;

/** Whether the PDF holds an image (an /XObject of /Subtype /Image). */
export const pdfHasImage = (pdf: Buffer): boolean => /\/Subtype \/Image\b/.test(pdf.toString('latin1'));
