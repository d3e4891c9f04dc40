// Covers `cost check`: exit 1 when the billed dollars of the last 24 h cross the budget; with
// --notify exactly one notice per calendar day reaches the SMTP capture (clock injected), the
// once-a-day state file is 0600, a refused send is retried by the next run, --dry-run sends
// nothing, missing repos.env keys exit 78 before any mail server is contacted; the notice goes
// through the suite's alert channel, so ALERT_WEBHOOK_URL gets it too (once) and stays redacted.
import { createServer } from 'node:http';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSmtpCapture } from '@jobs/testkit/smtp-capture';
import { describe, expect, it } from 'vitest';
import { NOTICE_STATE_FILE } from '../src/check.ts';
import { row, run, tempDir, testDeps, writeLedger } from './helpers.ts';

async function setup(env: Record<string, string | number>) {
  const home = await tempDir();
  const envFile = join(home, 'repos.env');
  await writeFile(envFile, `${Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n')}\n`, { mode: 0o600 });
  const ledger = join(home, 'ledger.jsonl');
  return { home, envFile, ledger };
}

const at = (iso: string) => () => new Date(iso);

describe('cost check', () => {
  it('exits 1 over budget and mails the owner exactly once per day', { timeout: 30_000 }, async () => {
    await using capture = await startSmtpCapture();
    const { home, envFile, ledger } = await setup({
      SMTP_HOST: capture.host,
      SMTP_PORT: capture.port,
      SMTP_TLS: 'none',
      SMTP_USER: capture.user,
      SMTP_PASSWORD: capture.password,
      COST_ALERT_TO: 'carole@garden.example',
      COST_ALERT_FROM: 'jobs@garden.example',
    });
    await writeLedger(ledger, [
      row({ ts: '2026-11-22T11:00:00.000Z', usd: 50 }), // more than 24 h before the first check
      row({ ts: '2026-11-23T01:00:00.000Z', app: 'digest', usd: 1.25 }),
      row({ ts: '2026-11-23T09:30:00.000Z', app: 'lead-responder', usd: 1 }),
      row({ ts: '2026-11-23T10:00:00.000Z', app: 'claude-code', path: 'subscription', usd: 80 }), // not money
      row({ ts: '2026-11-24T08:00:00.000Z', app: 'farm', path: 'remote', usd: 2.5 }),
    ]);
    const args = ['check', '--daily-budget', '2', '--notify', '--env-file', envFile, '--ledger', ledger, '--tz', 'UTC'];
    const check = (iso: string, extra: string[] = []) => run([...args, ...extra], testDeps(home, { now: at(iso) }));

    const first = await check('2026-11-23T12:00:00.000Z');
    expect(first.code).toBe(1);
    expect(first.out).toContain('OVER BUDGET: $2.250 billed in the last 24 h, budget $2.000.');
    expect(capture.messages).toHaveLength(1);
    const mail = capture.messages[0]!;
    expect(mail.envelope).toEqual({ from: 'jobs@garden.example', to: ['carole@garden.example'] });
    expect(mail.parsed.subject).toBe('Claude API spend $2.250 in 24 h: over the $2.000 daily budget');
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.parsed.text).toMatch(/digest\s+\$1\.250/);
    expect(mail.parsed.text).toMatch(/lead-responder\s+\$1\.000/);
    expect(mail.parsed.text).not.toContain('claude-code');
    const state = join(home, 'state', NOTICE_STATE_FILE);
    expect((await stat(state)).mode & 0o777).toBe(0o600);

    // Later the same day: still over, still exit 1, no second mail.
    for (const t of ['2026-11-23T12:15:00.000Z', '2026-11-23T18:00:00.000Z', '2026-11-23T23:59:59.000Z']) {
      const again = await check(t, ['--json']);
      expect(again.code).toBe(1);
      expect(JSON.parse(again.out)).toMatchObject({ over: true, notice: 'already-sent-today', messageId: mail.parsed.messageId });
    }
    expect(capture.messages).toHaveLength(1);

    // The next day, over again (the farm's $2.50 this morning on top of yesterday's last hours): one more notice, then none.
    const nextDay = await check('2026-11-24T09:00:00.000Z', ['--json']);
    expect(nextDay.code).toBe(1);
    expect(JSON.parse(nextDay.out)).toMatchObject({ spentUsd: 3.5, notice: 'sent' }) // lead-responder $1 (09:30 yesterday) + farm $2.50;
    expect((await check('2026-11-24T10:00:00.000Z')).code).toBe(1);
    expect(capture.messages).toHaveLength(2);
    expect(capture.messages[1]?.parsed.subject).toContain('$3.500');

    // Two days later nothing was billed: within budget, exit 0, no mail.
    const quiet = await check('2026-11-26T09:00:00.000Z', ['--json']);
    expect(quiet.code).toBe(0);
    expect(JSON.parse(quiet.out)).toMatchObject({ over: false, spentUsd: 0, notice: 'not-needed' });
    expect(capture.messages).toHaveLength(2);
  });

  it('posts the notice to ALERT_WEBHOOK_URL too, once a day, and never logs the URL', { timeout: 30_000 }, async () => {
    await using capture = await startSmtpCapture();
    const posts: Array<{ path: string; body: Record<string, unknown> }> = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        posts.push({ path: req.url ?? '', body: JSON.parse(body) as Record<string, unknown> });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(hook.address() as { port: number }).port}/services/T0KEN-secret`;
    try {
      const { home, envFile, ledger } = await setup({ SMTP_HOST: capture.host, SMTP_PORT: capture.port, SMTP_TLS: 'none', SMTP_USER: capture.user, SMTP_PASSWORD: capture.password, COST_ALERT_TO: 'carole@garden.example', ALERT_WEBHOOK_URL: url });
      await writeLedger(ledger, [row({ ts: '2026-11-23T09:00:00.000Z', usd: 9 })]);
      const args = ['check', '--daily-budget', '2', '--notify', '--verbose', '--env-file', envFile, '--ledger', ledger, '--tz', 'UTC'];
      const first = await run(args, testDeps(home, { now: at('2026-11-23T12:00:00.000Z') }));
      expect(first.code).toBe(1);
      const again = await run(args, testDeps(home, { now: at('2026-11-23T13:00:00.000Z') }));
      expect(again.code).toBe(1);
      expect(capture.messages).toHaveLength(1);
      expect(posts).toHaveLength(1);
      expect(posts[0]?.path).toBe('/services/T0KEN-secret');
      expect(posts[0]?.body).toMatchObject({ event: 'budget', title: capture.messages[0]?.parsed.subject });
      expect(String(posts[0]?.body.text)).toContain('Daily budget: $2.000');
      expect(first.err + again.err).not.toContain('T0KEN-secret');
    } finally {
      await new Promise<void>((r) => hook.close(() => r()));
    }
  });

  it('retries a refused notice on the next run, and --dry-run sends and records nothing', { timeout: 30_000 }, async () => {
    await using capture = await startSmtpCapture();
    const { home, envFile, ledger } = await setup({
      SMTP_HOST: capture.host,
      SMTP_PORT: capture.port,
      SMTP_TLS: 'none',
      SMTP_USER: capture.user,
      SMTP_PASSWORD: capture.password,
      COST_ALERT_TO: 'carole@garden.example',
    });
    await writeLedger(ledger, [row({ ts: '2026-11-23T10:00:00.000Z', usd: 9 })]);
    const args = ['check', '--daily-budget', '5', '--notify', '--env-file', envFile, '--ledger', ledger];
    const deps = testDeps(home);

    const dry = await run([...args, '--dry-run'], deps);
    expect(dry.code).toBe(1);
    expect(dry.out).toContain('[dry-run] would send "Claude API spend $9.000 in 24 h: over the $5.000 daily budget" to carole@garden.example');
    await expect(stat(join(home, 'state', NOTICE_STATE_FILE))).rejects.toMatchObject({ code: 'ENOENT' });

    capture.refuseAll(421);
    const refused = await run(args, deps);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('budget notice could not be sent');
    expect(capture.messages).toHaveLength(0);
    await expect(stat(join(home, 'state', NOTICE_STATE_FILE))).rejects.toMatchObject({ code: 'ENOENT' });

    capture.acceptAll();
    expect((await run(args, deps)).code).toBe(1);
    expect(capture.messages).toHaveLength(1);
    expect(capture.messages[0]?.envelope.from).toBe('carole@garden.example'); // COST_ALERT_FROM defaults to the owner
    expect(JSON.stringify(await run([...args, '--json'], deps))).not.toContain(capture.password);
  });

  it('exits 78 naming the missing keys, before contacting any mail server', async () => {
    const { home, envFile, ledger } = await setup({ SMTP_HOST: '127.0.0.1', SMTP_PORT: 'not-a-port' });
    await writeLedger(ledger, [row({ ts: '2026-11-23T10:00:00.000Z', usd: 9 })]);
    const r = await run(['check', '--daily-budget', '5', '--notify', '--env-file', envFile, '--ledger', ledger], testDeps(home));
    expect(r.code).toBe(78);
    expect(r.err).toContain('COST_ALERT_TO: missing');
    expect(r.err).toContain('SMTP_PORT: malformed');
    expect(r.out).toBe('');
  });

  it('needs no repos.env without --notify, and refuses a bad budget with exit 2', async () => {
    const home = await tempDir();
    const ledger = join(home, 'ledger.jsonl');
    await writeLedger(ledger, [row({ ts: '2026-11-23T10:00:00.000Z', usd: 0.4 })]);
    const deps = testDeps(home);
    expect((await run(['check', '--daily-budget', '0.5', '--ledger', ledger], deps)).code).toBe(0);
    expect((await run(['check', '--daily-budget', '0.39', '--ledger', ledger], deps)).code).toBe(1);
    for (const bad of [[], ['--daily-budget', '-1'], ['--daily-budget', 'five'], ['--daily-budget', '0']]) {
      expect((await run(['check', ...bad, '--ledger', ledger], deps)).code, bad.join(' ')).toBe(2);
    }
  });
});
