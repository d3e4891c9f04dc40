/**
 * Attribution lines: the line (or two or three wrapped lines) a client writes above the text it
 * quotes. Three shapes, in every language we know of:
 * - an opener and a verb: "On <date>, <name> wrote:", "Am <date> schrieb <name>:", "W dniu ...
 *   napisał(a):" (with a date in digits or an address, or above a quote); or the verb alone with evidence (an address or a time) because the date comes
 *   first ("tir. 7. okt. 2024 kl. 09:12 skrev <name>:", "ma 7. lokak. 2024 klo 9.12 <name>
 *   kirjoitti:");
 * - no verb at all (Yandex, Mail.ru, Gmail in Russian): "<date, time>, "Name" <address>:",
 *   accepted only when quoted (">") lines follow;
 * - Zoho's "---- On <date> <name> wrote ----" rule, after which everything is history.
 * English without the final colon counts only when ">" lines follow.
 */

/** How sure a window is an attribution. */
export type AttributionKind = 'wrote' | 'block' | null;

// Existing opener-led forms, trusted without more evidence.
const OPENER = new RegExp(
  [
    String.raw`^On\b.{0,300}\bwrote\s*:$`,
    String.raw`^Am\b.{0,300}\bschrieb\b.{0,200}:$`,
    String.raw`^Le\b.{0,300}\ba écrit\s*:$`,
    String.raw`^El\b.{0,300}\bescribió\s*:$`,
    String.raw`^(?:Em|A|No dia)\s.{0,300}\bescreveu\s*:$`,
    String.raw`^(?:Il|In data)\s.{0,300}\b(?:ha scritto|scrisse)\s*:$`,
    String.raw`^Op\s.{0,300}\b(?:schreef\b.{0,200}|het volgende geschreven\s*):$`,
    String.raw`^(?:Den|På)\s.{0,300}\bskrev\b.{0,200}:$`,
    String.raw`^(?:W dniu|Dnia)\s.{0,300}\s(?:napisał\(a\)|napisała?|pisze)\s*:$`,
  ].join('|'),
  'i',
);

// Verbs that end an attribution ("... <name> wrote:"), and verbs followed by a name or a date.
const VERB = String.raw`(?:wrote|writes|a écrit|escribió|escreveu|ha scritto|scrisse|kirjoitti|napisał\(a\)|napisała?|pisze|pisał\(a\)|написал\(а\)|написала?|пишет|писал\(а\)|het volgende\s+geschreven|schreef|schrieb|skrev|napsal\(a\)|napsala?)`;
const VERB_FINAL = new RegExp(String.raw`(?:^|[\s,)>"'])${VERB}\s*:$`, 'i');
const VERB_MEDIAL = /(?:^|[\s,)>"'])(?:schrieb|schreef|skrev|kirjoitti|napisał\(a\)|napisała?|napisana przez|написал\(а\)|wrote|a écrit|escribió|escreveu|ha scritto)\s.{1,120}:$/i;
const VERB_NO_COLON = new RegExp(String.raw`(?:^|[\s,)>"'])${VERB}$`, 'i');
const ZOHO = new RegExp(String.raw`^-{2,}\s+\S.{0,300}\s${VERB}\s*-{2,}$`, 'i');

// Bounded runs: an unbounded local part rescans a long run of letters from every position.
const EMAIL = /[\w.+'-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}/;
const TIME = /(?:^|[^\d])\d{1,2}[:.]\d{2}(?![\d])/;
const DATE = /\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b|\b(?:19|20)\d{2}\b/;
// A sentence ends inside the window ("... the permit. From: ..."): it joined reply lines.
const SENTENCE_END = /\p{Ll}\p{Ll}[.!?]\s+\p{Lu}/u;
const ADDRESS_TOKEN = /^(?:<[^<>\s]+@[^<>\s]+>|\([^()\s]+@[^()\s]+\)|"?[^\s"<>()]+@[^\s"<>()]+"?)$/;

/** True when the window ends with an address and a colon; its last token only is tested. */
function endsWithAddress(w: string): boolean {
  if (!w.endsWith(':')) return false;
  const token = w.slice(0, -1).trimEnd();
  return ADDRESS_TOKEN.test(token.slice(token.lastIndexOf(' ') + 1));
}

/**
 * Classifies the joined window `text` (one to three lines). `quotedNext` says whether the first
 * non-blank line after the window starts with ">".
 */
export function attributionKind(text: string, quotedNext: boolean): AttributionKind {
  const w = text.trim();
  if (w.length > 400) return null;
  if (ZOHO.test(w)) return 'block';
  const email = w.includes('@') && EMAIL.test(w);
  // Clients write a date in digits; "Am Montag schrieb mir der Nachbar folgendes:" above a list
  // is the sender's own text unless a quote follows.
  if (OPENER.test(w) && (quotedNext || email || DATE.test(w))) return 'wrote';
  if (SENTENCE_END.test(w)) return null;
  // An address, or a time (with a date too when no quote follows: "what the inspector wrote
  // at 9:30:" above a list is the sender's own text).
  const evidence = email || (TIME.test(w) && (quotedNext || DATE.test(w)));
  if (evidence && (VERB_FINAL.test(w) || (VERB_MEDIAL.test(w) && w.length <= 250))) return 'wrote';
  if (!quotedNext) return null;
  // Verb-less: "<date, time>, "Name" <address>:", only above a quote.
  if (endsWithAddress(w) && (TIME.test(w) || DATE.test(w)) && w.length <= 250) return 'wrote';
  if (evidence && VERB_NO_COLON.test(w)) return 'wrote';
  // "Dana Roofer wrote:" right above a quote.
  if (VERB_FINAL.test(w) && w.length <= 100) return 'wrote';
  return null;
}

/** True when the window opens the way an attribution does ("On", "Am", "Le", "W dniu"...). */
export function opensAttribution(text: string): boolean {
  return OPENER.test(text.trim());
}

/**
 * True when a line can not be the first line of an attribution: it continues one wrapped above
 * ("<dana@example.com> wrote:", "dana@example.com>:").
 */
export function isContinuation(line: string): boolean {
  return /^\s*(?:[<(]|[^\s<]*>)/.test(line);
}
