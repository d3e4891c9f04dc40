/**
 * Outlook-style header blocks, in the languages customers use: an unprefixed run of
 * "From: / Sent: / To: / Cc: / Subject:" lines (any order; a value wrapped onto the next line,
 * like "<address>", continues the field), optionally under a rule ("____", "====", "----") or
 * a localized "-----Original Message-----" line. Everything from such a block down is history.
 */

// Field names by role. French puts a space before the colon; Outlook's HTML makes them bold.
const FROM = ['From', 'Von', 'De', 'Van', 'Da', 'Från', 'Fra', 'Lähettäjä', 'Od', 'От', 'Afzender', 'Remitente'];
const SENT = [
  'Sent', 'Date', 'Gesendet', 'Datum', 'Envoyé', 'Envoyé le', 'Message du', 'Enviado', 'Enviado el', 'Fecha', 'Data',
  'Inviato', 'Verzonden', 'Verstuurd', 'Sendt', 'Dato', 'Skickat', 'Lähetetty', 'Päivämäärä', 'Wysłano', 'Wysłane',
  'Отправлено', 'Дата', 'Odesláno',
];
const TO = ['To', 'An', 'À', 'A', 'Para', 'Aan', 'Til', 'Till', 'Vastaanottaja', 'Do', 'Кому', 'Komu', 'Destinatario'];
const CC = ['Cc', 'Bcc', 'Copie à', 'Copie', 'CCO', 'Kopia', 'Kopie', 'Kopio', 'DW', 'Копия', 'Kopie an'];
const SUBJECT = ['Subject', 'Betreff', 'Objet', 'Sujet', 'Asunto', 'Assunto', 'Oggetto', 'Onderwerp', 'Emne', 'Ämne', 'Aihe', 'Temat', 'Тема', 'Předmět'];

type Role = 'from' | 'sent' | 'to' | 'cc' | 'subject';
const field = (names: readonly string[]) => new RegExp(String.raw`^\s*\*?(?:${names.join('|')})\s*:\*?(?:\s|$)`, 'i');
const ROLES: ReadonlyArray<[Role, RegExp]> = [
  ['from', field(FROM)],
  ['sent', field(SENT)],
  ['to', field(TO)],
  ['cc', field(CC)],
  ['subject', field(SUBJECT)],
];

const ORIGINAL = /^\s*[-=_*]{2,}\s*(?:Original Message|Original-Nachricht|Originalnachricht|Ursprüngliche Nachricht|Message d'origine|Message original|Mensaje original|Mensagem original|Messaggio originale|Oorspronkelijk bericht|Origineel bericht|Oprindelig meddelelse|Oprindelig besked|Opprinnelig melding|Ursprungligt meddelande|Alkuperäinen viesti|Wiadomość oryginalna|Oryginalna wiadomość|Исходное сообщение|Původní zpráva)\s*[-=_*]{2,}\s*$/i;
const RULE = /^\s*(?:_{10,}|={10,}|-{10,})\s*$/;
// Fields only a raw RFC 5322 header has: a block next to one is a pasted header, not a reply's.
const RAW_HEADER = /^(?:X-[\w-]+|Received|Message-I[dD]|Return-Path|Reply-To|Sender|MIME-Version|Content-[\w-]+|Delivered-To|In-Reply-To|References|Precedence|List-[\w-]+|Mailing-List|Organization|User-Agent|Errors-To):/i;

/** The role of a header field line, or null. */
export function fieldRole(line: string): Role | null {
  for (const [role, re] of ROLES) if (re.test(line)) return role;
  return null;
}

/** True for a localized "-----Original Message-----" line. */
export function isOriginalMessageRule(line: string): boolean {
  return ORIGINAL.test(line);
}

/** A wrapped field value: an address on its own, or an indented continuation. */
function isContinuationValue(line: string): boolean {
  return line.length <= 200 && (/^\s*[<("]?[^\s<>()"]+@[^\s<>()"]+[>)"]?[;,]?\s*$/.test(line) || (/^[ \t]+\S/.test(line) && line.includes('@')));
}

/** Where a header block's lines start (a rule right above included) and end (exclusive). */
export interface BlockSpan {
  readonly start: number;
  readonly end: number;
}

/**
 * When lines[i] starts a header block, its span (a rule line right above the block is
 * included); else null. A block needs a From field, two other fields
 * and either a Subject or an address, so a reply that merely starts lines with "From:" stays.
 */
export function headerBlock(lines: readonly string[], i: number): BlockSpan | null {
  const opener = fieldRole(lines[i]!);
  if (opener === null) return null;
  const above = lines[i - 1];
  const underRule = above !== undefined && (RULE.test(above) || ORIGINAL.test(above));
  // Outlook opens with From; GMX with "Gesendet:", a French webmail with "Message du :". An
  // English "To:" or "Date:" first is how a raw header starts.
  if (!underRule && opener !== 'from' && !(opener === 'sent' && !/^\s*\*?Date\s*:/i.test(lines[i]!))) return null;
  if (above !== undefined && RAW_HEADER.test(above)) return null;
  const roles = new Set<Role>();
  let fields = 0;
  let address = false;
  let j = i;
  for (let wraps = 0; j < lines.length && j < i + 12; j++) {
    const role = fieldRole(lines[j]!);
    if (role) {
      roles.add(role);
      fields++;
    } else if (isContinuationValue(lines[j]!) && fields > 0 && wraps < 3) {
      wraps++;
    } else break;
    if (lines[j]!.includes('@')) address = true;
  }
  if (!roles.has('from') || fields < 3 || roles.size < 3 || !(roles.has('subject') || address)) return null;
  if (j < lines.length && RAW_HEADER.test(lines[j]!)) return null;
  return { start: underRule ? i - 1 : i, end: j };
}
