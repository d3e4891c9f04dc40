/**
 * The line patterns quote.ts looks for. Each regex runs on one line or on a window of at most
 * three joined lines (Gmail wraps a long "On ... wrote:" header), never on the whole body.
 */

/** Where a reply header starts and the line after it ends. */
export interface ReplyHeader {
  readonly start: number;
  readonly end: number;
  /** 'wrote': "On ... wrote:" style, followed by ">" lines; 'outlook': an unprefixed block. */
  readonly kind: 'wrote' | 'outlook';
}

// "On <date>, <name> wrote:" and its translations (Gmail, Apple Mail, Thunderbird).
const WROTE = new RegExp(
  [
    String.raw`^\s*On\b.{0,300}\bwrote\s*:\s*$`, // English
    String.raw`^\s*Am\b.{0,300}\bschrieb\b.{0,200}:\s*$`, // German
    String.raw`^\s*Le\b.{0,300}\ba écrit\s*:\s*$`, // French
    String.raw`^\s*El\b.{0,300}\bescribió\s*:\s*$`, // Spanish
    String.raw`^\s*Em\b.{0,300}\bescreveu\s*:\s*$`, // Portuguese
    String.raw`^\s*Il\b.{0,300}\bha scritto\s*:\s*$`, // Italian
    String.raw`^\s*Op\b.{0,300}\bschreef\b.{0,200}:\s*$`, // Dutch
    String.raw`^\s*(?:Den|På)\b.{0,300}\bskrev\b.{0,200}:\s*$`, // Nordic
    String.raw`^.{0,300}<[^<>\s]+@[^<>\s]+>\s+(?:wrote|writes)\s*:\s*$`, // "Name <a@b> wrote:"
    String.raw`^\s*[^\s:]+@[^\s:]+\s+(?:wrote|writes)\s*:\s*$`, // "a@b wrote:"
  ].join('|'),
  'i',
);

// Outlook and Outlook Express separators.
const ORIGINAL = /^\s*-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original|Messaggio originale|Oorspronkelijk bericht)\s*-{2,}\s*$/i;
const UNDERSCORES = /^\s*_{10,}\s*$/;
const FROM_FIELD = /^\s*\*?(?:From|Von|De|Van|Da|Från|Fra)\s*:\*?\s+\S/i;
const BLOCK_FIELD = /^\s*\*?(?:Sent|Date|To|Subject|Cc|Gesendet|Datum|An|Betreff|Envoyé|À|Objet|Enviado|Para|Asunto|Inviato|Oggetto|Verzonden|Aan|Onderwerp|Skickat|Till|Ämne|Sendt|Til|Emne)\s*:\*?/i;

/** True when lines[i] starts an Outlook "From: / Sent: / To: / Subject:" header block. */
function isFieldBlock(lines: readonly string[], i: number): boolean {
  if (!FROM_FIELD.test(lines[i]!)) return false;
  let fields = 0;
  for (let j = i + 1; j < Math.min(lines.length, i + 6); j++) {
    if (BLOCK_FIELD.test(lines[j]!)) fields++;
    else if (lines[j]!.trim() !== '') break;
  }
  return fields >= 2;
}

/** Finds the first reply header; null when the text quotes nothing this way. */
export function findReplyHeader(lines: readonly string[]): ReplyHeader | null {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (ORIGINAL.test(line)) return { start: i, end: i + 1, kind: 'outlook' };
    if (UNDERSCORES.test(line) && i + 1 < lines.length && isFieldBlock(lines, i + 1)) {
      return { start: i, end: i + 2, kind: 'outlook' };
    }
    if (isFieldBlock(lines, i)) return { start: i, end: i + 1, kind: 'outlook' };
    if (line.length > 400 || line.trim() === '') continue;
    // Try the line alone, then joined with the next one or two (wrapped headers).
    let window = line;
    for (let n = 1; n <= 3 && i + n <= lines.length; n++) {
      if (n > 1) {
        const next = lines[i + n - 1]!;
        if (next.trim() === '' || /^\s*>/.test(next)) break;
        window += ` ${next.trim()}`;
      }
      if (WROTE.test(window)) return { start: i, end: i + n, kind: 'wrote' };
    }
  }
  return null;
}

// Forwarded content is new to the reader: kept, marker included.
const FORWARD = /^\s*(?:-{2,}\s*(?:Forwarded message|Weitergeleitete Nachricht|Message transféré|Mensaje reenviado|Messaggio inoltrato|Doorgestuurd bericht)\s*-{2,}|Begin forwarded message:|-{2,}\s*Forwarded by .{0,100}-{2,})\s*$/i;

/** True for a forwarded-message marker line (Gmail, Apple Mail, Outlook, Lotus). */
export function isForwardMarker(line: string): boolean {
  return FORWARD.test(line);
}

const MOBILE = new RegExp(
  [
    String.raw`^\s*Sent from my \w[\w\s.,'-]{0,40}$`,
    String.raw`^\s*Sent from (?:Mail|Outlook|Yahoo Mail|Gmail|AOL|ProtonMail|Proton Mail)\b.{0,40}$`,
    String.raw`^\s*Sent (?:via|with|using) .{1,40}$`,
    String.raw`^\s*Get Outlook for (?:iOS|Android)\s*$`,
    String.raw`^\s*Von meinem .{1,30} gesendet\s*$`,
    String.raw`^\s*Envoyé de mon .{1,30}$`,
    String.raw`^\s*Enviado desde mi .{1,30}$`,
    String.raw`^\s*Verzonden vanaf mijn .{1,30}$`,
    String.raw`^\s*Inviato da(?:l mio)? .{1,30}$`,
  ].join('|'),
  'i',
);

/** True for a one-line mobile client signature ("Sent from my iPhone"). */
export function isMobileSignature(line: string): boolean {
  return line.length < 80 && MOBILE.test(line);
}

/** True when lines[i] starts a mailing-list footer (Mailman's "____" rule plus list info). */
export function isListFooter(lines: readonly string[], i: number): boolean {
  if (!/^\s*_{20,}\s*$/.test(lines[i]!)) return false;
  const next = `${lines[i + 1] ?? ''} ${lines[i + 2] ?? ''}`;
  return /mailing list|listinfo|mailman|unsubscribe/i.test(next);
}
