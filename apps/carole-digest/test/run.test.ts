// Covers whole runs through main() in-process on a Maildir copy, a real SMTP capture server and
// the Anthropic simulator: one digest naming every thread with Auto-Submitted and one recipient,
// the checkpoint moving only after the send, an empty second run, --dry-run side effects,
// SMTP refusing (exit 1, checkpoint unchanged, same mail next run), 529 -> degraded digest,
// and HTML escaping of hostile subjects and bodies.
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startAnthropicSimulator } from '@jobs/testkit/anthropic-simulator';
import { startSmtpCapture } from '@jobs/testkit/smtp-capture';
import { describe, expect, it } from 'vitest';
import { copySample, rawMessage, runMain, smtpKeys, workDir } from './support/env.ts';
import { summaryReply, TEST_KEY } from './support/sim.ts';

const SUBJECTS = [
  'Backyard patio and planting plan',
  'Fall cleanup and bulb planting',
  'Planters for Café Lumière terrace',
  'Front garden refresh - site visit?',
  'Bluestone availability for Henderson job',
  'New quote request from Jenna Whitfield',
  'Quote for raised vegetable beds?',
  'Invoice INV-20481',
  'Truck is back + Monday plan',
  'New lead from Local Services: Sam Patel',
  'You received a payment of $95.00',
  'Thank you for the beautiful border!',
  'Winter pruning talk',
  'New booking request',
  'HTW #412',
  'Chamber News',
  'Last call: 30% off spring bulb',
  'Undelivered Mail Returned to Sender',
];

function htmlUnescape(s: string): string {
  return s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

async function setup(extra: Record<string, string | number> = {}) {
  const smtp = await startSmtpCapture();
  const wd = await workDir({});
  const maildir = await copySample(wd.dir);
  await writeFile(
    wd.envFile,
    `${Object.entries({
      DIGEST_SOURCE: `maildir:${maildir}`,
      ...smtpKeys(smtp),
      DIGEST_FROM: 'digest@carolesgardens.example',
      DIGEST_TO: 'carole@carolesgardens.example',
      DIGEST_OWN_ADDRESSES: 'hello@carolesgardens.example',
      DIGEST_TIMEZONE: 'America/New_York',
      ...extra,
    })
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
    { mode: 0o600 },
  );
  const env = { JOBS_STATE_DIR: wd.stateDir, COST_LEDGER: join(wd.dir, 'ledger.jsonl') };
  const checkpointFile = async () => {
    const dir = join(wd.stateDir, 'checkpoints');
    const files = await readdir(dir).catch(() => []);
    const f = files.find((x) => x.startsWith('digest-maildir-'));
    return f ? readFile(join(dir, f), 'utf8') : null;
  };
  return { smtp, ...wd, maildir, env, checkpointFile };
}

describe('a digest run on a Maildir', () => {
  it('sends one digest naming every thread, moves the checkpoint; a second run sends nothing', async () => {
    const s = await setup();
    await using _smtp = s.smtp;
    const first = await runMain(['--env-file', s.envFile, '--no-llm', '--json'], s.env);
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report).toMatchObject({ outcome: 'sent', messages: 32, threads: 18, spam: 1, checkpointAdvanced: true, degraded: 'no-llm' });
    expect(s.smtp.messages).toHaveLength(1);
    const [mail] = s.smtp.messages;
    expect(mail!.envelope.to).toEqual(['carole@carolesgardens.example']);
    expect(mail!.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    const to = mail!.parsed.to;
    expect(Array.isArray(to) ? to.length : to?.value.length).toBe(1);
    const html = htmlUnescape(String(mail!.parsed.html));
    for (const subject of SUBJECTS) expect(html).toContain(subject);
    expect(mail!.parsed.text).toContain('Backyard patio and planting plan');
    expect(html).not.toContain('FINAL NOTICE'); // the spam
    const checkpoint = JSON.parse((await s.checkpointFile())!);
    expect(checkpoint.seen).toHaveLength(32);

    const second = await runMain(['--env-file', s.envFile, '--no-llm', '--json'], s.env);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ outcome: 'empty', messages: 0 });
    expect(s.smtp.messages).toHaveLength(1);
  });

  it('--dry-run leaves the checkpoint, the Maildir and the SMTP capture untouched and writes the HTML', async () => {
    const s = await setup();
    await using _smtp = s.smtp;
    expect((await runMain(['--env-file', s.envFile, '--no-llm'], s.env)).code).toBe(0);
    const before = await s.checkpointFile();
    await writeFile(join(s.maildir, 'new', '1795400000.M1P1.mx1'), rawMessage({ id: 'late@example.com', subject: 'Late question about mulch?', body: 'Can you bring mulch?' }));
    const names = async () => [...(await readdir(join(s.maildir, 'cur'))), ...(await readdir(join(s.maildir, 'new')))].sort();
    const namesBefore = await names();
    const mtime = (await stat(join(s.maildir, 'new', '1795400000.M1P1.mx1'))).mtimeMs;
    const out = join(s.dir, 'dry.html');
    const dry = await runMain(['--env-file', s.envFile, '--no-llm', '--dry-run', '--out', out], s.env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`HTML digest written to ${out}`);
    expect(await readFile(out, 'utf8')).toContain('Late question about mulch?');
    expect(await s.checkpointFile()).toBe(before);
    expect(s.smtp.messages).toHaveLength(1);
    expect(await names()).toEqual(namesBefore);
    expect((await stat(join(s.maildir, 'new', '1795400000.M1P1.mx1'))).mtimeMs).toBe(mtime);
    expect(dry.stderr).toContain('[dry-run] would send');
  });

  it('SMTP refusing: exit 1, checkpoint unchanged, the next run includes the same mail', async () => {
    const s = await setup();
    await using _smtp = s.smtp;
    s.smtp.refuseAll(554, { at: 'data' });
    const failed = await runMain(['--env-file', s.envFile, '--no-llm', '--json'], s.env);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/could not be sent/);
    expect(await s.checkpointFile()).toBeNull();
    expect(s.smtp.messages).toHaveLength(0);
    s.smtp.acceptAll();
    const ok = await runMain(['--env-file', s.envFile, '--no-llm', '--json'], s.env);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ outcome: 'sent', messages: 32 });
    expect(s.smtp.messages).toHaveLength(1);
  });

  it('the simulator answering 529 to every call: an extractive digest is still sent, marked degraded', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [TEST_KEY] });
    sim.respond(() => ({ kind: 'error', status: 529, type: 'overloaded_error' }));
    const s = await setup({ ANTHROPIC_API_KEY: TEST_KEY, ANTHROPIC_BASE_URL: sim.url });
    await using _smtp = s.smtp;
    const sleeps: number[] = [];
    const r = await runMain(['--env-file', s.envFile, '--json'], s.env, { sleep: async (ms) => void sleeps.push(ms) });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'sent', degraded: 'claude-failed' });
    expect(sim.messageRequests().length).toBeGreaterThan(0);
    expect(s.smtp.messages).toHaveLength(1);
    expect(String(s.smtp.messages[0]!.parsed.html)).toContain('data-degraded="claude-failed"');
    expect(s.smtp.messages[0]!.parsed.text).toMatch(/Degraded: Claude could not be reached/);
    expect(r.stderr).not.toContain(TEST_KEY);
    const ledger = (await readFile(s.env.COST_LEDGER, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(ledger.every((row) => row.app === 'digest' && row.outcome === 'error')).toBe(true);
  });

  it('summaries from the simulator: sent, ledger rows for app digest, tokens and USD in the summary', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [TEST_KEY] });
    sim.respond((req) => ({ kind: 'reply', text: summaryReply(req) }));
    const s = await setup({ ANTHROPIC_API_KEY: TEST_KEY, ANTHROPIC_BASE_URL: sim.url });
    await using _smtp = s.smtp;
    const r = await runMain(['--env-file', s.envFile], s.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^digest sent: 32 messages, 18 threads \(\d+ need a reply\), [\d,]+ tokens, \$0\.\d{4}, [\d.]+ s, to carole@carolesgardens\.example\n$/);
    expect(String(s.smtp.messages[0]!.parsed.html)).toContain('Summary of Backyard patio and planting plan');
    const ledger = (await readFile(s.env.COST_LEDGER, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(ledger.length).toBe(sim.messageRequests().length);
    expect(ledger.every((row) => row.app === 'digest' && row.outcome === 'ok' && row.usd > 0)).toBe(true);
  });

  it('escapes <script> and <img onerror> from subjects, bodies, names and summaries', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [TEST_KEY] });
    // The model echoes hostile text back: its summary must be escaped too.
    sim.respond(() => ({ kind: 'reply', text: JSON.stringify({ t: [{ id: 't1', s: 'Says <img src=x onerror=alert(2)>', r: '<script>alert(3)</script>' }] }) }));
    const s = await setup({ ANTHROPIC_API_KEY: TEST_KEY, ANTHROPIC_BASE_URL: sim.url });
    await using _smtp = s.smtp;
    // Only the hostile message: move the sample aside through the checkpoint.
    expect((await runMain(['--env-file', s.envFile, '--no-llm'], s.env)).code).toBe(0);
    s.smtp.clear();
    await writeFile(
      join(s.maildir, 'new', '1795500000.M2P2.mx1'),
      rawMessage({
        id: 'xss@example.com',
        from: '"<img src=x onerror=alert(4)>" <attacker@example.com>',
        subject: '<script>alert(1)</script> quote?',
        body: 'Hello <img src=x onerror=alert(5)> and <script>alert(6)</script>, can you quote?',
      }),
    );
    // without Claude (dry run first) the body's own text shows, escaped
    const dry = await runMain(['--env-file', s.envFile, '--no-llm', '--dry-run', '--out', join(s.dir, 'x.html')], s.env);
    expect(dry.code).toBe(0);
    const extractive = await readFile(join(s.dir, 'x.html'), 'utf8');
    expect(extractive).not.toMatch(/<script|<img/i);
    expect(extractive).toContain('&lt;img src=x onerror=alert(5)&gt;');
    const r = await runMain(['--env-file', s.envFile], s.env);
    expect(r.code, r.stderr).toBe(0);
    const html = String(s.smtp.messages[0]!.parsed.html);
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('&lt;script&gt;alert(3)&lt;/script&gt;');
  });
});
