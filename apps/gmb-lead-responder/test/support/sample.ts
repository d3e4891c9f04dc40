/** Sample mail for tests: the digest's sample Maildir (Carole's week) and small builders. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMessage } from '@jobs/mail/parse';
import type { MailMessage } from '@jobs/mail/message';

const APP = fileURLToPath(new URL('../..', import.meta.url));
/** The app folder. */
export const APP_DIR = APP;
/** The worked example profile and rules. */
export const PROFILE_PATH = join(APP, 'examples/business-profile.md');
export const RULES_PATH = join(APP, 'examples/lead-rules.json');
const MAILDIR = join(APP, '../carole-digest/sample/Maildir');

/** The 32 sample messages in delivery order (#1 first), raw. */
export function sampleMessages(): Buffer[] {
  const files = ['cur', 'new'].flatMap((d) => readdirSync(join(MAILDIR, d)).filter((f) => !f.startsWith('.')).map((f) => ({ d, f })));
  files.sort((a, b) => a.f.localeCompare(b.f));
  return files.map(({ d, f }) => readFileSync(join(MAILDIR, d, f)));
}

/** Parses raw mail or fails the test. */
export async function parsed(raw: Buffer | string): Promise<MailMessage> {
  const r = await parseMessage(Buffer.isBuffer(raw) ? raw : Buffer.from(raw));
  if (!r.ok) throw new Error(`sample did not parse: ${r.reason}`);
  return r.message;
}

/** A plain message with the given headers (CRLF) and body. */
export function mail(headers: Record<string, string>, body: string): string {
  const base: Record<string, string> = {
    Date: 'Mon, 23 Nov 2026 10:00:00 -0500',
    'MIME-Version': '1.0',
    'Content-Type': 'text/plain; charset=UTF-8',
    ...headers,
  };
  return `${Object.entries(base)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}\r\n`;
}

/** A direct lead to the leads address. */
export function directLead(n: number | string, opts: { from?: string; subject?: string; body?: string; headers?: Record<string, string> } = {}): string {
  return mail(
    {
      From: `Customer ${n} <${opts.from ?? `customer${n}@example.org`}>`,
      To: 'hello@carolesgardens.example',
      Subject: opts.subject ?? `Garden question ${n}`,
      'Message-ID': `<lead-${n}@example.org>`,
      ...opts.headers,
    },
    opts.body ?? `Hello, could you help with a shade border at our house in Wrenfield? (${n})\n\nThanks`,
  );
}
