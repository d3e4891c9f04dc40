/** Test support: a private repos.env (and the keys of the test IMAP and SMTP servers), a copy of the sample Maildir, captured stdout/stderr, main() in-process. */
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/main.ts';
import { SAMPLE_MAILDIR } from './sample.ts';

export const APP_DIR = fileURLToPath(new URL('../../', import.meta.url));

/** A fresh temp dir with state/ and a private repos.env holding `values`. */
export async function workDir(values: Record<string, string | number>): Promise<{ dir: string; envFile: string; stateDir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'digest-run-'));
  const envFile = join(dir, 'repos.env');
  const text = Object.entries(values).map(([k, v]) => `${k}=${v}`).join('\n');
  await writeFile(envFile, `${text}\n`, { mode: 0o600 });
  const stateDir = join(dir, 'state');
  return { dir, envFile, stateDir };
}

/** A test server's address and login, as the dovecot and SMTP harnesses give them. */
interface ServerLogin {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

/** repos.env keys that read `mailbox` of the test dovecot, plain login, no TLS. */
export function imapKeys(imap: ServerLogin, mailbox: string): Record<string, string | number> {
  return { DIGEST_SOURCE: 'imap', IMAP_HOST: imap.host, IMAP_PORT: imap.port, IMAP_TLS: 'none', IMAP_USER: imap.user, IMAP_PASSWORD: imap.password, IMAP_MAILBOX: mailbox };
}

/** repos.env keys that send through the test SMTP server, plain login, no TLS. */
export function smtpKeys(smtp: ServerLogin): Record<string, string | number> {
  return { SMTP_HOST: smtp.host, SMTP_PORT: smtp.port, SMTP_TLS: 'none', SMTP_USER: smtp.user, SMTP_PASSWORD: smtp.password };
}

/** A writable copy of the sample Maildir under `dir`. */
export async function copySample(dir: string): Promise<string> {
  const target = join(dir, 'Maildir');
  await cp(SAMPLE_MAILDIR, target, { recursive: true });
  await mkdir(join(target, 'tmp'), { recursive: true });
  return target;
}

/** What runMain can inject besides argv and env. */
export interface RunExtra {
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  /** stdout is a terminal of this many columns (progress display on). */
  readonly tty?: { readonly columns: number };
}

/**
 * Runs main() in-process; returns the exit code and what it printed (`writes`: stdout's write
 * calls; `errWrites`: stderr's). `tty` makes both streams a terminal of that width.
 */
export async function runMain(argv: string[], env: Record<string, string | undefined>, extra: RunExtra = {}) {
  let stdout = '';
  let stderr = '';
  const writes: string[] = [];
  const errWrites: string[] = [];
  const code = await main(argv, {
    env,
    stdout: {
      write: (s) => {
        stdout += s;
        writes.push(s);
      },
      isTTY: extra.tty !== undefined,
      ...(extra.tty ? { columns: extra.tty.columns } : {}),
    },
    stderr: {
      write: (s) => {
        stderr += s;
        errWrites.push(s);
      },
      isTTY: extra.tty !== undefined,
      ...(extra.tty ? { columns: extra.tty.columns } : {}),
    },
    workspaceRoot: '/nonexistent-workspace',
    cwd: APP_DIR,
    ...(extra.sleep ? { sleep: extra.sleep } : {}),
    ...(extra.now ? { now: extra.now } : {}),
  });
  return { code, stdout, stderr, writes, errWrites };
}

/** A raw message (LF line endings, as Maildir files have). */
export function rawMessage(h: { id: string; subject: string; from?: string; to?: string; date?: string; inReplyTo?: string; body: string; extra?: string }): string {
  return [
    `From: ${h.from ?? 'Dana Customer <dana@example.com>'}`,
    `To: ${h.to ?? 'carole@carolesgardens.example'}`,
    `Subject: ${h.subject}`,
    `Date: ${h.date ?? 'Mon, 23 Nov 2026 08:00:00 -0500'}`,
    `Message-ID: <${h.id}>`,
    ...(h.inReplyTo ? [`In-Reply-To: <${h.inReplyTo}>`, `References: <${h.inReplyTo}>`] : []),
    ...(h.extra ? [h.extra] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    h.body,
    '',
  ].join('\n');
}
