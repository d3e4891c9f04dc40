/**
 * The normalized message type every source (IMAP, Maildir) and every consumer (digest, lead
 * responder) shares. It holds what the jobs act on and nothing heavy: attachment content is never
 * kept, only metadata, and HTML is reduced to text.
 */

/** One mailbox address from From, Reply-To, To or Cc. */
export interface MailAddress {
  /** The bare address, lower-cased domain, as the header gave it (may be '' for a group or junk). */
  readonly address: string;
  /** The decoded display name ('' when none). */
  readonly name: string;
  /**
   * True when an RFC 2047 encoded word in the display name or the address decodes to something
   * that looks like an address (`=?utf-8?b?Ym9zc0BiYW5rLmNvbQ==?= <x@evil>` shows "boss@bank.com").
   * Such an address must never match an allowlist.
   */
  readonly encodedWordSpoof: boolean;
}

/** Metadata of one attachment; the content is never held. */
export interface AttachmentMeta {
  readonly filename: string | null;
  readonly contentType: string;
  /** Decoded size in bytes, counted while the content streamed past. */
  readonly size: number;
  /** 'attachment' or 'inline'. */
  readonly disposition: string | null;
  /** Content-ID for inline parts (`cid:` references), without angle brackets. */
  readonly contentId: string | null;
}

/** The headers that mark automated mail, raw but trimmed; null when absent. */
export interface AutomationHeaders {
  /** RFC 3834 `Auto-Submitted` (anything but `no` means automated). */
  readonly autoSubmitted: string | null;
  /** `Precedence` (bulk, junk, list mean automated). */
  readonly precedence: string | null;
  /** RFC 2919 `List-Id`. */
  readonly listId: string | null;
  /** RFC 2369 `List-Unsubscribe`. */
  readonly listUnsubscribe: string | null;
  /** Microsoft's `X-Auto-Response-Suppress`. */
  readonly autoResponseSuppress: string | null;
  /** `X-Autoreply` / `X-Autorespond` (vacation responders that skip Auto-Submitted). */
  readonly autoReply: string | null;
  /** `Return-Path` address; '' for the null sender `<>`, null when the header is absent. */
  readonly returnPath: string | null;
  /** `X-Spam-Flag` raw. */
  readonly spamFlag: string | null;
  /** `X-Spam-Status` raw. */
  readonly spamStatus: string | null;
  /** Top-level content type, lower-case (`multipart/report` marks delivery status reports). */
  readonly contentType: string;
  /** `report-type` parameter of a multipart/report (`delivery-status`, `disposition-notification`). */
  readonly reportType: string | null;
}

/** A parsed, normalized message. */
export interface MailMessage {
  /**
   * Message-ID in angle brackets. When the header is missing or unusable, a stable synthetic one
   * is derived from a hash of the raw headers (`<sha256hex@synthetic.invalid>`) so deduplication
   * and threading still have a key.
   */
  readonly messageId: string;
  /** True when messageId was synthesized. */
  readonly messageIdSynthetic: boolean;
  /** IMAP UID, set by the IMAP source. */
  readonly uid?: number;
  /** File path, set by the Maildir source. */
  readonly path?: string;
  /** First message id of In-Reply-To, in angle brackets. */
  readonly inReplyTo: string | null;
  /** References, oldest first, in angle brackets, deduplicated. */
  readonly references: readonly string[];
  readonly from: MailAddress | null;
  readonly replyTo: readonly MailAddress[];
  readonly to: readonly MailAddress[];
  readonly cc: readonly MailAddress[];
  /** Decoded subject ('' when none). */
  readonly subject: string;
  /** Date header, null when missing or unparseable. */
  readonly date: Date | null;
  /** Plain text body; converted from HTML when there is no text part. */
  readonly text: string;
  /** Where `text` came from. */
  readonly textSource: 'text' | 'html' | 'none';
  /** True when the text was cut at the parser's text cap. */
  readonly textTruncated: boolean;
  readonly attachments: readonly AttachmentMeta[];
  readonly automation: AutomationHeaders;
  /** Size of the raw message in bytes. */
  readonly sizeBytes: number;
}

/** Why a message was quarantined instead of parsed. */
export type QuarantineCode =
  /** The raw message exceeded `maxBytes`. */
  | 'ETOOBIG'
  /** The parse exceeded `timeoutMs` (the stream was destroyed). */
  | 'ETIMEOUT'
  /** The parser threw or emitted an error. */
  | 'EPARSE'
  /** The input stream failed while being read. */
  | 'ESTREAM';

/** A message that could not be parsed within its caps: reported, never dropped silently. */
export interface Quarantined {
  readonly ok: false;
  readonly code: QuarantineCode;
  /** Human-readable reason, safe to log (no message content). */
  readonly reason: string;
  /** Bytes read before giving up. */
  readonly sizeBytes: number;
  /** The underlying error, when there was one. */
  readonly cause?: unknown;
}

/** A successful parse. */
export interface Parsed {
  readonly ok: true;
  readonly message: MailMessage;
}

/** Result of `parseMessage`: never thrown, always one of these. */
export type ParseResult = Parsed | Quarantined;
