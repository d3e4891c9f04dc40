/**
 * `mailbox doctor [job]`: connects to each configured job's IMAP and SMTP servers with what
 * repos.env says and reports what the job will meet. Sends no mail, changes nothing (a token
 * refresh aside, which saves the grant as a job run would).
 */
import { parseArgs } from 'node:util';
import { type ResolvedServer, resolveMailboxLogin } from '@jobs/mail/auth/mailbox-login';
import { MailError } from '@jobs/mail/errors';
import { resolveFolders } from '@jobs/mail/providers/folders';
import { createSmtpSender } from '@jobs/mail/smtp';
import { imapTls, smtpOptionsFrom } from '@jobs/mail/transport-settings';
import { ImapFlow } from 'imapflow';
import { jobArg } from './args.ts';
import { JOBS, type JobName, jobConfigured, mailboxSettings } from './config.ts';
import { dirname } from 'node:path';
import { EXIT, exitCodeOf } from '@jobs/core/exit-code';
import { type Deps, loadKeysAndFile, stateDirOf } from './deps.ts';
import { MailboxError } from './errors.ts';
import { DOCTOR_HELP } from './help.ts';
import { renderDoctor } from './doctor-render.ts';

const CAPS = ['IDLE', 'CONDSTORE', 'SPECIAL-USE', 'X-GM-EXT-1', 'MOVE', 'UIDPLUS'] as const;

/** One job's findings. */
export interface JobReport {
  job: JobName;
  ok: boolean;
  exitCode: number;
  error?: string;
  provider?: string;
  auth?: string;
  imap?: { host: string; port: number; tls: string; user: string; capabilities: Record<string, boolean>; rttMs: number };
  folders?: Record<'sent' | 'drafts' | 'junk', { path: string; via: string } | null>;
  smtp?: { host: string; port: number; tls: string; auth: string; ok: boolean; error?: string };
  filesSentItself?: boolean;
  limits?: { imapConnections: string; sending: string };
}

async function imapAuth(s: ResolvedServer) {
  if (s.tokens !== undefined) return { user: s.user, accessToken: await s.tokens.accessToken() };
  return { user: s.user, pass: s.password ?? '' };
}

async function checkJob(job: JobName, deps: Deps, keys: Record<string, unknown>, envDir: string): Promise<JobReport> {
  const settings = mailboxSettings(keys as never, job, stateDirOf(deps), envDir);
  const login = await resolveMailboxLogin(settings, { onSecret: (s) => deps.secrets.add(s), now: deps.now });
  const { imap, smtp, preset } = login;
  const report: JobReport = { job, ok: false, exitCode: EXIT.failure, provider: preset.name, auth: login.method, filesSentItself: preset.filesSentItself, limits: { ...preset.limits } };
  const tls = imapTls(imap.tls);
  const client = new ImapFlow({
    host: imap.host, port: imap.port, secure: tls.secure, logger: false, auth: await imapAuth(imap),
    ...(tls.requireStartTls === undefined ? {} : { doSTARTTLS: tls.requireStartTls }),
    connectionTimeout: 15_000, greetingTimeout: 10_000, socketTimeout: 30_000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const started = deps.now();
    await client.noop();
    const rttMs = Math.max(0, deps.now() - started);
    const capabilities = Object.fromEntries(CAPS.map((c) => [c, client.capabilities.has(c)]));
    const list = await client.list();
    report.imap = { host: imap.host, port: imap.port, tls: imap.tls, user: imap.user, capabilities, rttMs };
    report.folders = resolveFolders(list, preset);
    await client.logout();
  } catch (err) {
    client.close();
    throw err;
  }
  if (smtp !== undefined) {
    const sender = createSmtpSender(smtpOptionsFrom({ ...smtp, timeoutSeconds: 15 }, { socketTimeoutMs: 30_000 }));
    const verified = await sender.verify().then(() => undefined, (err: unknown) => err as Error);
    report.smtp = { host: smtp.host, port: smtp.port, tls: smtp.tls, auth: smtp.auth, ok: verified === undefined, ...(verified ? { error: deps.secrets.redact(verified.message) } : {}) };
  }
  report.ok = report.smtp?.ok ?? true;
  report.exitCode = report.ok ? EXIT.ok : EXIT.failure;
  return report;
}

/** Runs the command; returns the exit code (the worst of the jobs'). */
export async function runDoctor(argv: string[], deps: Deps): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { 'env-file': { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    deps.stdout.write(DOCTOR_HELP);
    return 0;
  }
  const only = jobArg(positionals, false);
  const { values: keys, file } = await loadKeysAndFile(deps, values['env-file']);
  const jobs = only !== undefined ? [only] : (Object.keys(JOBS) as JobName[]).filter((j) => jobConfigured(keys, j));
  if (jobs.length === 0) throw new MailboxError('ECONFIG', 'no mailbox is configured: set IMAP_HOST or IMAP_PROVIDER (digest), LEAD_IMAP_HOST or LEAD_IMAP_PROVIDER (lead)');
  const reports: JobReport[] = [];
  for (const job of jobs) {
    reports.push(
      await checkJob(job, deps, keys, dirname(file)).catch((err: unknown) => {
        const code = exitCodeOf(err);
        const detail = err instanceof MailError ? ` (${err.code})` : '';
        return { job, ok: false, exitCode: code, error: deps.secrets.redact(`${err instanceof Error ? err.message : String(err)}${detail}`) };
      }),
    );
  }
  deps.stdout.write(deps.secrets.redact(values.json ? `${JSON.stringify({ jobs: reports })}\n` : renderDoctor(reports)));
  return reports.some((r) => r.exitCode === EXIT.config) ? EXIT.config : reports.some((r) => !r.ok) ? EXIT.failure : EXIT.ok;
}
