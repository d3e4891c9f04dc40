/**
 * Quote and signature stripping, so a thread's repeated text is paid for once: the attribution
 * lines mail clients write ("On ... wrote:" and its translations, verb-less "<date>, <name>
 * <address>:", Zoho's "---- On ... wrote ----"), Outlook-style header blocks in many languages,
 * ">" quoted lines, "-- " signatures, mobile "Sent from my iPhone" lines, list footers and
 * sign-offs. A forwarded message is new text for the reader, so its marker and its content are
 * kept. Where the split is uncertain, the text is kept. The patterns live in internal/quote/.
 */
import { findReplyHeader, QUOTED } from './internal/quote/find-header.ts';
import { isForwardMarker } from './internal/quote/forward.ts';
import { signatureStart } from './internal/quote/signature.ts';
import { signoffStart } from './internal/quote/signoff.ts';

/** The parts of a reply. */
export interface ReplyParts {
  /** What the sender wrote: quotes, reply headers and signature removed. */
  readonly body: string;
  /** The quoted text removed (reply header included), '' when none. */
  readonly quoted: string;
  /** The signature or footer removed, '' when none. */
  readonly signature: string;
  /** True when the body holds a forwarded message (kept, marker included). */
  readonly forwarded: boolean;
}

function trimBlank(lines: readonly string[]): string {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]!.trim() === '') start++;
  while (end > start && lines[end - 1]!.trim() === '') end--;
  return lines.slice(start, end).join('\n');
}

/** Splits a plain-text body into what the sender wrote, the quote and the signature. */
export function splitReply(text: string): ReplyParts {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  // A forward marker above the first reply header ends the search for quotes: what follows is
  // kept as forwarded content. One inside the quoted history is history.
  const first = findReplyHeader(lines);
  const fwd = lines.findIndex((line, i) => (first === null || i < first.start) && isForwardMarker(line));
  const own = fwd < 0 ? lines : lines.slice(0, fwd);
  const forwarded = fwd < 0 ? [] : lines.slice(fwd);

  const quoted: string[] = [];
  let kept = own;
  const header = fwd < 0 ? first : null;
  if (header) {
    const after = own.slice(header.end);
    const firstText = after.find((line) => line.trim() !== '');
    const firstQuoted = after.findIndex((line) => QUOTED.test(line));
    const ownAfterQuote =
      firstQuoted < 0 ? -1 : after.findIndex((line, i) => i > firstQuoted && line.trim() !== '' && !QUOTED.test(line));
    // Inline replies: a ">" quote right under the header, then text of the sender's own (more
    // than a signature). Outlook blocks are never interleaved: their quote has no ">".
    const interleaved =
      header.kind === 'wrote' &&
      firstText !== undefined &&
      QUOTED.test(firstText) &&
      ownAfterQuote >= 0 &&
      signatureStart(after.slice(ownAfterQuote)) !== 0;
    // Nothing of the sender's own above the header: their text can only be below it. Cutting
    // everything would leave nothing, so keep what is not quoted (uncertain: keep the text).
    const nothingAbove = own.slice(0, header.start).every((line) => line.trim() === '' || QUOTED.test(line));
    if (interleaved || nothingAbove) {
      // Inline replies between quoted lines: drop the header and the ">" lines, keep the rest.
      quoted.push(...own.slice(header.start, header.end));
      kept = [...own.slice(0, header.start), ...after];
    } else {
      // Top-posting: everything from the header down is the old conversation.
      quoted.push(...own.slice(header.start));
      kept = own.slice(0, header.start);
    }
  }
  const body: string[] = [];
  for (const line of kept) {
    if (QUOTED.test(line)) quoted.push(line);
    // Blank lines left where quotes were removed collapse into one.
    else if (line.trim() !== '' || (body.at(-1) ?? '').trim() !== '') body.push(line);
  }
  // The signature: "-- ", a mobile line or a footer, else a sign-off ending the text.
  let sig = signatureStart(body);
  const signoff = signoffStart(sig < 0 ? body : body.slice(0, sig));
  if (signoff >= 0) sig = signoff;
  const signature = sig < 0 ? [] : body.slice(sig);
  const ownText = trimBlank(sig < 0 ? body : body.slice(0, sig));
  const fwdText = trimBlank(forwarded);
  return {
    body: fwdText ? (ownText ? `${ownText}\n\n${fwdText}` : fwdText) : ownText,
    quoted: trimBlank(quoted),
    signature: trimBlank(signature),
    forwarded: fwd >= 0,
  };
}

/** The body without quoted replies and signature (see splitReply). */
export function stripQuotes(text: string): string {
  return splitReply(text).body;
}
