/**
 * Provider presets: where each mail provider's servers are, how it wants you to log in, and
 * the habits a job must respect (folders, Sent filing, throttling). Figures under `limits` are
 * the providers' published limits as of 2026-12, for the docs and `mailbox doctor`; they are
 * never enforced here.
 */
import { MailError } from '../errors.ts';

/** A server endpoint: implicit TLS, or STARTTLS on a plain port. */
export interface ServerPreset {
  readonly host: string;
  readonly port: number;
  readonly tls: 'tls' | 'starttls';
}

/** Which OAuth 2 flow and endpoints a provider uses (`tenant` filled in for Microsoft). */
export type OAuthKind = 'google' | 'microsoft' | 'generic';

/** One provider. */
export interface ProviderPreset {
  readonly name: ProviderName;
  readonly label: string;
  /** Undefined for `generic`: host and port come from repos.env. */
  readonly imap: ServerPreset | undefined;
  readonly smtp: ServerPreset | undefined;
  /** OAuth 2 flow, or undefined when the provider takes no OAuth from third-party apps (iCloud). */
  readonly oauth: OAuthKind | undefined;
  /** `app-password`: only an app password works; `refused`: no password login at all; `allowed`. */
  readonly password: 'allowed' | 'app-password' | 'refused';
  /** Folder names tried, in order, when the server marks none with SPECIAL-USE. */
  readonly folders: { readonly sent: readonly string[]; readonly drafts: readonly string[]; readonly junk: readonly string[] };
  /** The server files SMTP-submitted mail into Sent itself: do not APPEND a second copy. */
  readonly filesSentItself: boolean;
  /** Throttling answers are to be expected and retried (Microsoft 365). */
  readonly throttles: boolean;
  readonly limits: { readonly imapConnections: string; readonly sending: string };
}

/** Every preset name. */
export const PROVIDER_NAMES = ['gmail', 'google-workspace', 'microsoft365', 'outlook', 'fastmail', 'icloud', 'generic'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

const COMMON = { sent: ['Sent', 'Sent Items', 'Sent Messages'], drafts: ['Drafts'], junk: ['Junk', 'Spam', 'Junk Email'] };
const GMAIL_FOLDERS = { sent: ['[Gmail]/Sent Mail', '[Google Mail]/Sent Mail'], drafts: ['[Gmail]/Drafts', '[Google Mail]/Drafts'], junk: ['[Gmail]/Spam', '[Google Mail]/Spam'] };
const MS_FOLDERS = { sent: ['Sent Items'], drafts: ['Drafts'], junk: ['Junk Email'] };
const GMAIL_SERVERS = { imap: { host: 'imap.gmail.com', port: 993, tls: 'tls' }, smtp: { host: 'smtp.gmail.com', port: 465, tls: 'tls' } } as const;
const MS_IMAP = { host: 'outlook.office365.com', port: 993, tls: 'tls' } as const;

/** The presets by name. */
export const PRESETS: Readonly<Record<ProviderName, ProviderPreset>> = Object.freeze({
  gmail: {
    name: 'gmail', label: 'Gmail (personal)', ...GMAIL_SERVERS, oauth: 'google', password: 'app-password',
    folders: GMAIL_FOLDERS, filesSentItself: true, throttles: false,
    limits: { imapConnections: '15 simultaneous IMAP connections per account', sending: '500 recipients a day' },
  },
  'google-workspace': {
    name: 'google-workspace', label: 'Google Workspace', ...GMAIL_SERVERS, oauth: 'google', password: 'refused',
    folders: GMAIL_FOLDERS, filesSentItself: true, throttles: false,
    limits: { imapConnections: '15 simultaneous IMAP connections per user', sending: '2,000 messages a day per user (fewer in a trial)' },
  },
  microsoft365: {
    name: 'microsoft365', label: 'Microsoft 365 (Exchange Online)', imap: MS_IMAP,
    smtp: { host: 'smtp.office365.com', port: 587, tls: 'starttls' }, oauth: 'microsoft', password: 'refused',
    folders: MS_FOLDERS, filesSentItself: true, throttles: true,
    limits: { imapConnections: '20 simultaneous IMAP connections per mailbox', sending: '10,000 recipients a day, 30 messages a minute' },
  },
  outlook: {
    name: 'outlook', label: 'Outlook.com / Hotmail', imap: MS_IMAP,
    smtp: { host: 'smtp-mail.outlook.com', port: 587, tls: 'starttls' }, oauth: 'microsoft', password: 'refused',
    folders: MS_FOLDERS, filesSentItself: true, throttles: true,
    limits: { imapConnections: 'a few simultaneous IMAP connections (not published)', sending: '300 recipients a day' },
  },
  fastmail: {
    name: 'fastmail', label: 'Fastmail', imap: { host: 'imap.fastmail.com', port: 993, tls: 'tls' },
    smtp: { host: 'smtp.fastmail.com', port: 465, tls: 'tls' }, oauth: 'generic', password: 'app-password',
    folders: COMMON, filesSentItself: false, throttles: false,
    limits: { imapConnections: 'not published (tens)', sending: 'per plan; see Fastmail’s sending limits page' },
  },
  icloud: {
    name: 'icloud', label: 'iCloud Mail', imap: { host: 'imap.mail.me.com', port: 993, tls: 'tls' },
    smtp: { host: 'smtp.mail.me.com', port: 587, tls: 'starttls' }, oauth: undefined, password: 'app-password',
    folders: { ...COMMON, sent: ['Sent Messages', 'Sent'] }, filesSentItself: false, throttles: false,
    limits: { imapConnections: 'not published', sending: '1,000 recipients a day' },
  },
  generic: {
    name: 'generic', label: 'Any IMAP/SMTP host', imap: undefined, smtp: undefined, oauth: 'generic', password: 'allowed',
    folders: COMMON, filesSentItself: false, throttles: false,
    limits: { imapConnections: 'see your provider', sending: 'see your provider' },
  },
});

/** The preset called `name`; ECONFIG listing the valid names otherwise. */
export function providerPreset(name: string, key = 'IMAP_PROVIDER'): ProviderPreset {
  if ((PROVIDER_NAMES as readonly string[]).includes(name)) return PRESETS[name as ProviderName];
  throw new MailError('ECONFIG', `${key} must be one of ${PROVIDER_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
}
