/**
 * A complete world for end-to-end tests on loopback: dovecot (IMAP), the SMTP capture, the
 * Anthropic simulator answering with a valid draft, a private repos.env and state dir, and
 * helpers to run the CLI in-process (main) or as a child, and to read mailboxes back.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAnthropicSimulator, type AnthropicSimulator, type SimMessagesRequest, type SimStep } from '@jobs/testkit/anthropic-simulator';
import { type Dovecot, startDovecot } from '@jobs/testkit/dovecot';
import { type OAuthServer, startOAuthServer } from '@jobs/testkit/oauth-server';
import { createGrantStore } from '@jobs/mail/auth/grant-store';
import type { AccessTokenSource } from '@jobs/mail/auth/token-source';
import { type SmtpCapture, type SmtpCaptureOptions, startSmtpCapture } from '@jobs/testkit/smtp-capture';
import { createImapSource } from '@jobs/mail/imap';
import type { MailMessage } from '@jobs/mail/message';
import { parseMessage } from '@jobs/mail/parse';
import { main, type MainDeps } from '../../src/main.ts';
import type { RunReport } from '../../src/report.ts';
import { PROFILE_PATH, RULES_PATH } from './sample.ts';

export const API_KEY = 'sk-ant-test-lead-0123456789';
export const SIGNATURE = "Carole Ashby\nCarole's Garden Design\n(802) 555-0120 | www.carolesgardens.example";

/** The lead data the drafter saw, from the user turn. */
export function enquiryOf(req: SimMessagesRequest): Record<string, unknown> {
  const messages = (Array.isArray(req.body.messages) ? req.body.messages : []) as Array<{ role?: string; content?: unknown }>;
  const first = messages.find((m) => m.role === 'user');
  const content = typeof first?.content === 'string' ? first.content : JSON.stringify(first?.content ?? '');
  const m = /<enquiry_json>\n([\s\S]*?)\n<\/enquiry_json>/.exec(content);
  return m ? (JSON.parse(m[1]!) as Record<string, unknown>) : {};
}

/** A draft that passes every check. */
export function goodDraft(req: SimMessagesRequest): SimStep {
  const name = String(enquiryOf(req).customer_name ?? 'there').split(' ')[0];
  return {
    kind: 'reply',
    json: {
      subject: 'Your garden enquiry',
      body: `Hi ${name},\n\nThank you for writing. The first step is a garden design consultation ($95): book at https://www.carolesgardens.example/book or call (802) 555-0120.\n\n${SIGNATURE}`,
    },
  };
}

/** One message read back from a mailbox. */
export interface Stored {
  readonly uid: number;
  readonly flags: readonly string[];
  readonly message: MailMessage;
  readonly raw: Buffer;
}

/** What a run gave. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly report: RunReport | null;
}

export interface World {
  readonly imap: Dovecot;
  readonly smtp: SmtpCapture;
  readonly sim: AnthropicSimulator;
  /** The authorization server dovecot and the SMTP capture ask about tokens (with `oauth`). */
  readonly as: OAuthServer | undefined;
  readonly dir: string;
  readonly envPath: string;
  readonly stateDir: string;
  readonly ledgerPath: string;
  /** Child-process environment (for spawning the CLI). */
  readonly childEnv: Record<string, string>;
  deliver(...raws: Array<string | Buffer>): Promise<void>;
  run(args?: readonly string[], extra?: Partial<MainDeps>): Promise<RunResult>;
  mailbox(name: string): Promise<Stored[]>;
  /** Replies the capture accepted, to customers (the owner's notices left out). */
  replies(): Array<{ to: string; message: MailMessage | null; raw: Buffer }>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Options of startWorld. */
export interface WorldOptions {
  /** Goes to the SMTP capture. */
  readonly smtp?: SmtpCaptureOptions;
  /**
   * OAuth 2 for both servers: an authorization server, dovecot's oauth2 passdb (tokens only)
   * and the capture offering XOAUTH2 only; repos.env gets LEAD_IMAP_AUTH=oauth2 and no
   * passwords, and the state dir a `lead` grant seeded for the dovecot user.
   */
  readonly oauth?: boolean;
  /** With `oauth`: the SMTP capture takes the password too, and repos.env keeps LEAD_SMTP_PASSWORD (LEAD_SMTP_AUTH=password). */
  readonly smtpPassword?: boolean;
}

/** Starts the world. `envExtra` adds or overrides repos.env keys. */
export async function startWorld(envExtra: Record<string, string> = {}, options: WorldOptions = {}): Promise<World> {
  const as = options.oauth ? await startOAuthServer() : undefined;
  const imap = await startDovecot(as ? { oauth2: { introspectionUrl: as.introspectionUrl } } : {});
  const smtp = await startSmtpCapture({ ...options.smtp, ...(as ? { oauth2: { introspect: as.introspect, passwords: options.smtpPassword === true } } : {}) });
  const sim = await startAnthropicSimulator({ apiKeys: [API_KEY] });
  sim.respond(goodDraft);
  const dir = await mkdtemp(join(tmpdir(), 'lead-world-'));
  const stateDir = join(dir, 'state');
  const ledgerPath = join(dir, 'ledger.jsonl');
  const keys: Record<string, string> = {
    ANTHROPIC_API_KEY: API_KEY,
    ANTHROPIC_BASE_URL: sim.url,
    LEAD_PROFILE_PATH: PROFILE_PATH,
    LEAD_RULES_PATH: RULES_PATH,
    LEAD_ADDRESS: 'hello@carolesgardens.example',
    LEAD_FROM_NAME: 'Carole Ashby',
    LEAD_OWNER_ADDRESS: 'carole@carolesgardens.example',
    LEAD_TIMEZONE: 'UTC',
    LEAD_IMAP_HOST: imap.host,
    LEAD_IMAP_PORT: String(imap.port),
    LEAD_IMAP_TLS: 'none',
    LEAD_IMAP_USER: imap.user,
    LEAD_IMAP_PASSWORD: imap.password,
    LEAD_IMAP_TIMEOUT_SECONDS: '10',
    LEAD_SMTP_HOST: smtp.host,
    LEAD_SMTP_PORT: String(smtp.port),
    LEAD_SMTP_TLS: 'none',
    LEAD_SMTP_USER: smtp.user,
    LEAD_SMTP_PASSWORD: smtp.password,
    LEAD_SMTP_TIMEOUT_SECONDS: '10',
    ...(as ? { LEAD_IMAP_AUTH: 'oauth2', LEAD_IMAP_OAUTH_CLIENT_SECRET: as.client.secret } : {}),
    ...(as && !options.smtpPassword ? { LEAD_SMTP_USER: imap.user } : {}),
    ...(as && options.smtpPassword ? { LEAD_SMTP_AUTH: 'password' } : {}),
    ...envExtra,
  };
  if (as) {
    delete keys.LEAD_IMAP_PASSWORD;
    if (!options.smtpPassword) delete keys.LEAD_SMTP_PASSWORD;
    await seedLeadGrant(as, stateDir, imap.user);
  }
  const envPath = join(dir, 'repos.env');
  await writeFile(envPath, `${Object.entries(keys).map(([k, v]) => `${k}=${v}`).join('\n')}\n`, { mode: 0o600 });
  const env = { JOBS_STATE_DIR: stateDir, COST_LEDGER: ledgerPath };
  // the test's own reads log in as the mailbox's user too: with a token of a grant of their own
  const reader: { password: string } | { tokens: AccessTokenSource } = as ? { tokens: { accessToken: async () => (await as.seedGrant()).accessToken } } : { password: imap.password };
  const close = async () => {
    await Promise.allSettled([imap.close(), smtp.close(), sim.close(), as?.close()]);
    await rm(dir, { recursive: true, force: true });
  };
  return {
    imap,
    smtp,
    sim,
    as,
    dir,
    envPath,
    stateDir,
    ledgerPath,
    childEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...env },
    async deliver(...raws) {
      await imap.deliver('INBOX', raws);
    },
    async run(args = [], extra = {}) {
      let stdout = '';
      let stderr = '';
      const code = await main([...args, '--env-file', envPath, '--json'], {
        env,
        stdout: { write: (s: string) => {
          stdout += s;
          return true;
        } },
        stderr: { write: (s: string) => {
          stderr += s;
          return true;
        } },
        cwd: dir,
        home: dir,
        workspaceRoot: dir,
        imapOptions: { backoffBaseMs: 20, backoffMaxMs: 100 },
        ...extra,
      });
      const last = stdout.trim().split('\n').pop() ?? '';
      let report: RunReport | null = null;
      try {
        report = JSON.parse(last) as RunReport;
      } catch {
        report = null;
      }
      return { code, stdout, stderr, report };
    },
    async mailbox(name) {
      const source = createImapSource({ host: imap.host, port: imap.port, secure: false, user: imap.user, ...reader, mailbox: name });
      try {
        const out: Stored[] = [];
        for await (const m of await source.fetchSince(undefined)) {
          const p = await parseMessage(m.raw);
          if (p.ok) out.push({ uid: m.uid, flags: m.flags, message: p.message, raw: m.raw });
        }
        return out;
      } finally {
        await source.close();
      }
    },
    replies() {
      return smtp.messages
        .filter((m) => !m.envelope.to.includes('carole@carolesgardens.example'))
        .map((m) => ({ to: m.envelope.to[0] ?? '', message: null, raw: m.raw }));
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Writes the `lead` grant as `pnpm mailbox login lead` would have, from a grant seeded at `as`. */
export async function seedLeadGrant(as: OAuthServer, stateDir: string, user: string, expiresAt = Date.now() + 3_600_000): Promise<void> {
  const seeded = await as.seedGrant();
  await createGrantStore({ stateDir }).write({
    version: 1, account: 'lead', provider: 'generic', user, tokenEndpoint: as.tokenEndpoint, clientId: as.client.id,
    refreshToken: seeded.refreshToken, accessToken: seeded.accessToken, expiresAt, updatedAt: new Date().toISOString(),
  });
}
