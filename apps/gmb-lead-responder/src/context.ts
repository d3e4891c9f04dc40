/**
 * What every step of a run shares: the clients, the journal and its index, the settings and
 * the report being filled.
 */
import type { ClaudeClient } from '@jobs/claude/client';
import type { Logger } from '@jobs/core/logger';
import type { AuthTrust } from './auth-results.ts';
import type { ImapSource } from '@jobs/mail/imap';
import type { CheckpointStore } from '@jobs/mail/checkpoint';
import type { SmtpSender } from '@jobs/mail/smtp';
import type { Journal, NewRecord } from './journal.ts';
import { applyRecord, buildIndex, type JournalIndex } from './lead-state.ts';
import type { BusinessProfile } from './profile.ts';
import type { RunReport } from './report.ts';
import type { LeadRules } from './rules.ts';

export type { Logger } from '@jobs/core/logger';

/** Settings from repos.env and the rules. */
export interface Settings {
  /** The leads address: From of every reply, and the domain of our Message-IDs. */
  readonly leadAddress: string;
  readonly fromName: string | undefined;
  /** Where notices go (phone-only leads, held drafts, approvals). */
  readonly ownerAddress: string;
  /** The IMAP keyword set on answered leads. */
  readonly keyword: string;
  readonly maxPerSenderPerDay: number;
  /** Replies to anyone per day (the global cap). */
  readonly maxRepliesPerDay: number;
  /**
   * Whose Authentication-Results to trust for notification sources; null: none, a source is
   * trusted on its From alone (forgeable: the README says what that risks).
   */
  readonly authTrust: AuthTrust | null;
  /** IANA zone of the "day" of the per-sender cap. */
  readonly timeZone: string;
  /** Mail older than this is never answered (first run on a full inbox). */
  readonly maxAgeMs: number;
  /** Values from repos.env that no draft may contain. */
  readonly forbiddenValues: readonly string[];
  /** The provider files SMTP-submitted mail into Sent itself (Gmail, Microsoft 365): no APPEND there. */
  readonly filesSentItself?: boolean;
  /** Approval by answering the owner's notice (LEAD_APPROVAL_SECRET set); null: off. */
  readonly approval?: ApprovalSettings | null;
}

/** The approval flow's settings. */
export interface ApprovalSettings {
  /** Keys the tokens. */
  readonly secret: string;
  /** How long a notice's token is good for. */
  readonly expiryMs: number;
  /** After how long without an answer the owner is reminded, once. */
  readonly remindMs: number;
}

/** The clients and state a run works with. */
export interface ResponderDeps {
  readonly imap: ImapSource;
  readonly smtp: SmtpSender;
  readonly claude: ClaudeClient;
  readonly journal: Journal;
  readonly checkpoints: CheckpointStore;
  readonly profile: BusinessProfile;
  readonly rules: LeadRules;
  readonly settings: Settings;
  readonly logger: Logger;
  readonly now: () => number;
  /** Waits between searches of Sent (recovery). Default: a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Human lines (dry-run decisions and drafts). */
  readonly print: (line: string) => void;
  /**
   * Replaces repos.env secrets in any encoding (the scope's redactor). Applied to what the
   * model wrote before it is stored or shown anywhere (held drafts, the journal, dry-run
   * output), and to what is about to be sent (a draft it changes is not sent). Default: none.
   */
  readonly redact?: (s: string) => string;
}

/** Deps plus the per-run state. */
export interface Ctx extends ResponderDeps {
  readonly mode: RunReport['mode'];
  readonly index: JournalIndex;
  report: RunReport;
  /** Set after a connection-level SMTP failure or a spent budget: remaining leads wait. */
  stopSending: string | null;
  /** Why replies of this run can not be copied to Sent (set before the first send); null when they can. */
  sentUnavailable: string | null;
  /** Appends to the journal and folds the record into the index. */
  write(record: NewRecord): Promise<void>;
}

/** Builds the run context from deps. */
export function createCtx(deps: ResponderDeps, mode: RunReport['mode'], report: RunReport): Ctx {
  const index = buildIndex(deps.journal.records);
  const ctx: Ctx = {
    ...deps,
    mode,
    index,
    report,
    stopSending: null,
    sentUnavailable: null,
    async write(record) {
      const full = await deps.journal.append(record);
      applyRecord(index, full);
    },
  };
  return ctx;
}

/** The domain our Message-IDs use. */
export function idDomain(ctx: Pick<Ctx, 'settings'>): string {
  return ctx.settings.leadAddress.slice(ctx.settings.leadAddress.lastIndexOf('@') + 1);
}
