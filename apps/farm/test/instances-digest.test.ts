// Covers two instances of the real digest from one jobs file, each on its own dovecot user and
// repos.env, run through `farm run-job INSTANCE` (the digest CLI as a child) against the
// Anthropic simulator and one SMTP capture: two digests, each with its own mailbox's threads
// and recipient; two checkpoints, each in its instance's state folder; every ledger row of
// each run (the digest's Claude calls and farm's route row) attributed to its instance.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startAnthropicSimulator } from '@jobs/testkit/anthropic-simulator';
import { startDovecot } from '@jobs/testkit/dovecot';
import { startSmtpCapture } from '@jobs/testkit/smtp-capture';
import { main } from '../src/main.ts';
import { Capture, KEY, sandbox, WORKSPACE } from './helpers.ts';

function message(i: number, client: string): string {
  return [
    `Message-ID: <m${i}.${client}@example.org>`,
    `From: Customer ${i} <c${i}@${client}.example>`,
    `To: inbox@${client}.example`,
    `Subject: ${client} question ${i}`,
    `Date: Wed, 02 Dec 2026 0${i}:00:00 +0000`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Hello, this is request ${i} for ${client}. Could you call me back about the quote?`,
    '',
  ].join('\r\n');
}

/** A summary reply naming every thread of the request, so the digest shows it. */
function summaryReply(body: unknown): string {
  const text = JSON.stringify(body);
  const ids = [...text.matchAll(/<thread id=\\"(t\d+)\\"/g)].map((m) => m[1]);
  return JSON.stringify({ t: ids.map((id) => ({ id, s: `Summary of ${id}` })) });
}

describe('two digest instances (two dovecot users, one jobs file)', () => {
  it('two digests, two checkpoints, ledger rows attributed to each instance', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [KEY] });
    sim.respond((req) => ({ kind: 'reply', text: summaryReply(req.body) }));
    await using sb = await sandbox();
    await using smtp = await startSmtpCapture();
    const acmeImap = await startDovecot({ user: 'acme' });
    const boltImap = await startDovecot({ user: 'bolt' });
    try {
      await acmeImap.deliver('INBOX', [1, 2, 3].map((i) => message(i, 'acme')));
      await boltImap.deliver('INBOX', [1, 2].map((i) => message(i, 'bolt')));
      const instances = [];
      for (const [name, imap] of [['acme', acmeImap], ['bolt', boltImap]] as const) {
        const env = {
          ANTHROPIC_API_KEY: KEY,
          ANTHROPIC_BASE_URL: sim.url,
          DIGEST_SOURCE: 'imap',
          IMAP_HOST: imap.host,
          IMAP_PORT: imap.port,
          IMAP_TLS: 'none',
          IMAP_USER: imap.user,
          IMAP_PASSWORD: imap.password,
          IMAP_TIMEOUT_SECONDS: 20,
          SMTP_HOST: smtp.host,
          SMTP_PORT: smtp.port,
          SMTP_TLS: 'none',
          SMTP_USER: smtp.user,
          SMTP_PASSWORD: smtp.password,
          DIGEST_FROM: `digest@${name}.example`,
          DIGEST_TO: `owner@${name}.example`,
          DIGEST_TIMEZONE: 'UTC',
        };
        await writeFile(join(sb.root, `${name}.env`), `${Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n')}\n`, { mode: 0o600 });
        instances.push({ name, job: 'digest', reposEnv: `${name}.env`, budgetUsd: 0.5 });
      }
      const jobsFile = join(sb.root, 'jobs.json');
      await writeFile(jobsFile, JSON.stringify({ instances }, null, 2));
      await sb.writeEnv({});
      for (const name of ['acme', 'bolt']) {
        const stdout = new Capture();
        const stderr = new Capture();
        const code = await main(['run-job', name, '--jobs', jobsFile, '--json', '--', '--json'], { env: sb.env, stdout, stderr, stdin: Readable.from(['']), cwd: sb.root, home: sb.home, workspaceRoot: WORKSPACE });
        expect(code, stderr.text).toBe(0);
        expect(stdout.lines()[0]).toMatchObject({ ok: true, instance: name, jobSummary: { outcome: 'sent' } });
      }
      expect(smtp.messages).toHaveLength(2);
      const to = smtp.messages.map((m) => m.envelope.to[0]);
      expect(to).toEqual(['owner@acme.example', 'owner@bolt.example']);
      expect(smtp.messages[0]?.parsed.text).toContain('acme question 3');
      expect(smtp.messages[0]?.parsed.text).not.toContain('bolt question');
      expect(smtp.messages[1]?.parsed.text).toContain('bolt question 2');
      for (const [name, uid] of [['acme', 3], ['bolt', 2]] as const) {
        const cp = JSON.parse(await readFile(join(sb.state, 'instances', name, 'checkpoints', 'digest-imap-INBOX.json'), 'utf8')) as { lastUid: number };
        expect(cp.lastUid).toBe(uid);
      }
      const rows = await sb.rows();
      const calls = rows.filter((r) => r.app === 'digest');
      expect(calls.length).toBeGreaterThanOrEqual(2);
      expect(sim.messageRequests().length).toBe(calls.length);
      expect(new Set(calls.map((r) => r.instance))).toEqual(new Set(['acme', 'bolt']));
      expect(rows.every((r) => r.instance === 'acme' || r.instance === 'bolt')).toBe(true);
      expect(rows.filter((r) => r.call_site === 'farm.run-job').map((r) => r.instance)).toEqual(['acme', 'bolt']);
    } finally {
      await acmeImap.close();
      await boltImap.close();
    }
  }, 240_000);
});
