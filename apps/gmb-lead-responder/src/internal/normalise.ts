/**
 * Text as a person and a browser read it, for the draft checks: compatibility forms folded
 * (NFKC: full-width `＄１２０` is `$120`, `ｅｖｉｌ．ｃｏｍ` is `evil.com`), the dots a URL host
 * parser accepts (`。` `．` `｡`) made `.`, decimal digits of every script made ASCII (`٤٩٠٠` is
 * `4900`), and invisible characters (zero-width spaces and joiners, soft hyphens, bidi
 * controls) dropped, so nothing hides a link, an amount or a phone number from the checks.
 */

const HOST_DOTS = /[\u3002\uff0e\uff61\ufe12]/g;
// \u034f (combining grapheme joiner) apart: a class may not mix it with ordinary characters
const INVISIBLE = /[\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u206a-\u206f\ufeff]|\u034f/g;
const DIGIT = /\p{Nd}/gu;

/** The ASCII digit of a decimal digit of any script: its distance from the 0 of its block. */
function asciiDigit(ch: string): string {
  const cp = ch.codePointAt(0)!;
  if (cp >= 0x30 && cp <= 0x39) return ch;
  let start = cp;
  // digit blocks are runs of ten (some runs of several blocks): find the run's start
  while (start > 0 && /\p{Nd}/u.test(String.fromCodePoint(start - 1)) && cp - start < 100) start--;
  return String((cp - start) % 10);
}

/** The text the checks read (see the module comment). */
export function normaliseForChecks(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '').replace(HOST_DOTS, '.').replace(DIGIT, asciiDigit);
}
