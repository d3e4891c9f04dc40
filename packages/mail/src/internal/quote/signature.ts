/**
 * Signatures a reader does not need: the "-- " delimiter (RFC 3676 4.3; many clients drop the
 * space), mobile client lines in every language we know ("Sent from my iPhone", "Get Outlook for
 * iOS<https://…>", "Envoyé de mon iPhone", "Gesendet von Outlook für Android"), "Sent from
 * <App>" as the last line, and mailing-list footers under a rule ("__" or longer).
 * Sign-offs ("Regards," + name + title) are in signoff.ts.
 */

const MOBILE = new RegExp(
  [
    String.raw`Sent from my \w[\w\s.,'-]{0,40}`,
    String.raw`Sent from (?:Mail|Outlook|Yahoo Mail|Gmail|AOL|ProtonMail|Proton Mail)\b.{0,40}`,
    'Sent (?:via|with|using) .{1,40}',
    'Get Outlook for (?:iOS|Android)',
    'Von meinem .{1,30} gesendet',
    String.raw`Gesendet von (?:meinem )?(?:iPhone|iPad|Outlook|Mail|Yahoo|Samsung|Android|Galaxy)\b.{0,40}`,
    'Outlook für (?:iOS|Android) beziehen',
    'Envoyé (?:de|depuis) (?:mon|ma|mon appareil) .{1,30}',
    'Envoyé (?:à|a) partir de (?:mon )?.{1,40}',
    String.raw`Envoyé depuis (?:Outlook|Yahoo|Mail)\b.{0,40}`,
    'Obtenir Outlook pour (?:iOS|Android)',
    'Enviado desde mi .{1,30}',
    String.raw`Enviado desde (?:Outlook|Yahoo|Correo|Mail)\b.{0,40}`,
    'Obtener Outlook para (?:iOS|Android)',
    String.raw`Enviado (?:do|a partir do) (?:meu )?(?:iPhone|iPad|Outlook|Yahoo|Email|E-mail|Samsung|Android|Galaxy|smartphone)\b.{0,40}`,
    'Obter o Outlook para (?:iOS|Android)',
    'Verzonden vanaf mijn .{1,30}',
    String.raw`(?:Verzonden|Verstuurd) (?:vanaf|vanuit|met|van) (?:mijn )?(?:iPhone|iPad|Outlook|Yahoo|Mail|Samsung|Android|Galaxy)\b.{0,40}`,
    'Outlook voor (?:iOS|Android) downloaden',
    'Inviato da(?:l mio)? .{1,30}',
    '(?:Scarica|Ottieni) Outlook per (?:iOS|Android)',
    'Sendt fra min .{1,30}',
    String.raw`Sendt fra (?:Outlook|Yahoo|Mail)\b.{0,40}`,
    '(?:Hent|Få) Outlook (?:til|for) (?:iOS|Android)',
    'Skickat från (?:min |Outlook|Yahoo|Mail).{0,40}',
    'Hämta Outlook för (?:iOS|Android)',
    'Lähetetty (?:iPhonesta|iPadista|Androidista|Samsung.{0,30}|.{1,40}-sovelluksesta|.{1,30} -sovelluksesta)',
    String.raw`Hanki Outlook(?: for)? (?:iOS|Android)\S*`,
    String.raw`Wysłane z (?:mojego |mojej |aplikacji )?(?:iPhone|iPad|Outlook|Yahoo|Poczty|Samsung|Android|Galaxy|telefonu|smartfona)\S*.{0,40}`,
    'Pobierz (?:aplikację )?Outlook dla (?:systemu )?(?:iOS|Android)',
    'Отправлено (?:с|из) (?:iPhone|iPad|Outlook|Яндекс|мобильно|Mail|почты|Android|Samsung|Galaxy|моего).{0,40}',
    'Получить Outlook для (?:iOS|Android)',
  ]
    .map((p) => `(?:${p})`)
    .join('|'),
  'i',
);
const MOBILE_LINE = new RegExp(`^\\s*(?:${MOBILE.source})\\s*$`, 'i');
// "Sent from Spark", "Sent from Superhuman": an app's name, only as the last line.
const SENT_FROM_APP = /^\s*Sent from [A-Z][\w.-]*(?: [\w.-]+){0,3}\s*$/;
// Words of a sentence, not of a client's line: "Sent from my office, the parcel is on its way."
const SENTENCE_WORDS = /\b(?:the|is|are|was|and|to|you|we|it|le|la|les|est|et|vous|nous|der|die|das|ist|und|wir|los|que|che|het)\b/i;
const LINK_TAIL = /\s*<https?:\/\/[^>\s]*>\s*$/;
const LIST_WORDS = /mailing list|listinfo|mailman|unsubscribe|subscribed to|list archive|abmelden|désinscri|desuscrib/i;

/** True for a one-line mobile client signature, a trailing "<https://…>" link allowed. */
export function isMobileSignature(line: string): boolean {
  const bare = line.replace(LINK_TAIL, '');
  return bare.length < 90 && MOBILE_LINE.test(bare) && !SENTENCE_WORDS.test(bare);
}

/** True when lines[i] starts a mailing-list footer (a rule of underscores, then list words). */
export function isListFooter(lines: readonly string[], i: number): boolean {
  if (!/^\s*_{2,}\s*$/.test(lines[i]!)) return false;
  return LIST_WORDS.test(lines.slice(i + 1, i + 4).join(' '));
}

/** True when only blank lines follow index i. */
function lastText(lines: readonly string[], i: number): boolean {
  return lines.slice(i + 1).every((l) => l.trim() === '');
}

/** Index of the signature start within `lines` ("-- ", a mobile line, a list footer), or -1. */
export function signatureStart(lines: readonly string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '-- ' || line === '--') return i;
    if (isMobileSignature(line) || isListFooter(lines, i)) return i;
    if (SENT_FROM_APP.test(line.replace(LINK_TAIL, '')) && lastText(lines, i)) return i;
  }
  return -1;
}
