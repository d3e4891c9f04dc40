/**
 * Sign-offs at the end of a reply: "Regards," (or its translation) alone, or followed by a name
 * and up to two title lines. The digest pays for every token, and these say nothing the From
 * header does not. Kept whenever a line below the sign-off could carry a fact: a digit (phone,
 * order number), an address, a link, or a line that is not a name or a title.
 */

const PHRASES = [
  // en
  'regards', 'best regards', 'kind regards', 'warm regards', 'warmest regards', 'many thanks', 'thanks', 'thank you',
  'thanks again', 'best', 'best wishes', 'all the best', 'cheers', 'sincerely', 'yours sincerely', 'yours truly', 'yours',
  // fr
  'cordialement', 'bien cordialement', 'très cordialement', 'bien à vous', 'salutations', 'sincères salutations', 'merci',
  'merci beaucoup', "merci d'avance", 'amitiés', 'bisous',
  // de
  'mit freundlichen grüßen', 'mit freundlichen grüssen', 'freundliche grüße', 'freundliche grüsse', 'viele grüße',
  'viele grüsse', 'beste grüße', 'beste grüsse', 'liebe grüße', 'liebe grüsse', 'herzliche grüße', 'grüße', 'gruß', 'mfg',
  'lg', 'vg', 'danke', 'vielen dank',
  // es
  'saludos', 'un saludo', 'saludos cordiales', 'atentamente', 'gracias', 'muchas gracias', 'un abrazo',
  // pt
  'atenciosamente', 'cumprimentos', 'com os melhores cumprimentos', 'obrigado', 'obrigada', 'abraços', 'abraço', 'att.', 'att',
  // it
  'cordiali saluti', 'distinti saluti', 'saluti', 'un saluto', 'grazie', 'grazie mille',
  // nl
  'met vriendelijke groet', 'met vriendelijke groeten', 'vriendelijke groet', 'groeten', 'groetjes', 'mvg', 'bedankt',
  // da / no / sv
  'med venlig hilsen', 'venlig hilsen', 'med vennlig hilsen', 'vennlig hilsen', 'mvh', 'hilsen', 'med vänliga hälsningar',
  'vänliga hälsningar', 'hälsningar', 'tak', 'takk', 'tack',
  // fi
  'ystävällisin terveisin', 'parhain terveisin', 'terveisin', 'kiitos', 'yst. terv.',
  // pl
  'pozdrawiam', 'serdecznie pozdrawiam', 'z poważaniem', 'pozdrowienia', 'dziękuję', 'dzięki',
  // ru
  'с уважением', 'спасибо', 'с наилучшими пожеланиями', 'всего доброго', 'всего хорошего',
];
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const SIGNOFF = new RegExp(`^\\s*(?:${PHRASES.map(escapeRe).join('|')})[\\s,.!…]*$`, 'iu');
// "Thanks, Dana" / "Cheers Dana": the phrase, then one to three capitalised words.
const SIGNOFF_NAMED = new RegExp(`^\\s*(?:${PHRASES.map(escapeRe).join('|')})[\\s,]+(\\S.*?)[\\s.!]*$`, 'iu');
// Capitalised words, the particles of names ("de", "van"), and "i.A." / "i.V." / "pp." (on behalf of).
const NAME_WORD = /^(?:\p{Lu}[\p{L}'’.-]*|de|van|der|den|von|da|di|la|le|du|dos|das|del|af|ter|zu|i\.A\.|i\.V\.|pp\.?)$/u;
const TITLE = /^\p{Lu}[\p{L}\s.'’&|,/()–-]{0,58}$/u;

/** True for a name: one to four words, each capitalised (particles like "de", "van" allowed). */
function isName(line: string): boolean {
  const words = line.trim().split(/\s+/);
  return words.length >= 1 && words.length <= 4 && words.every((w) => NAME_WORD.test(w)) && /^(?:\p{Lu}|i\.[AV]\.|pp)/u.test(words[0]!);
}

function isSignoff(line: string): boolean {
  if (SIGNOFF.test(line)) return true;
  const m = SIGNOFF_NAMED.exec(line);
  return m !== null && isName(m[1]!);
}

/**
 * Index of a sign-off that ends `lines` (blank lines after it ignored), or -1. Text must stand
 * above it: a reply that is only "Thanks, Dana" is kept whole.
 */
export function signoffStart(lines: readonly string[]): number {
  let last = lines.length - 1;
  while (last >= 0 && lines[last]!.trim() === '') last--;
  for (let k = Math.max(0, last - 5); k <= last; k++) {
    if (!isSignoff(lines[k]!)) continue;
    // "Regards,", a blank line, then the name is as common as no blank line; the title lines
    // follow the name directly, two at most, and a "P.S." is never one.
    const tail = lines.slice(k + 1, last + 1).map((l) => l.trim());
    while (tail[0] === '') tail.shift();
    const nameFirst = tail.length === 0 || isName(tail[0]!);
    const titles = tail.slice(1);
    const titled = titles.length <= 2 && titles.every((l) => TITLE.test(l) && !/[.!?:]$/.test(l) && !/^P\.?\s?S\b/i.test(l));
    const textAbove = lines.slice(0, k).some((l) => l.trim() !== '');
    if (nameFirst && titled && textAbove) return k;
  }
  return -1;
}
