// Covers runs on a real dovecot over IMAP with a real SMTP capture: the sample mailbox's threads
// in one digest and the checkpoint moving, a second run sending nothing, --dry-run leaving
// checkpoint, flags and capture untouched, a UIDVALIDITY reset (no message lost, none twice),
// an empty mailbox, and a server that goes silent after login (timeout, exit 1).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSmtpCapture } from '@jobs/testkit/smtp-capture';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dovecot, flagsOf, sampleMessages, startDovecot, startSilentImap } from './support/dovecot.ts';
import { imapKeys, rawMessage, runMain, smtpKeys, workDir } from './support/env.ts';

let imap: Dovecot;
beforeAll(async () => {
  imap = await startDovecot();
}, 30_000);
afterAll(async () => {
  await imap?.close();
});

const instant = async () => {};

async function setup(mailbox: string, extra: Record<string, string | number> = {}) {
  const smtp = await startSmtpCapture();
  const wd = await workDir({
    ...imapKeys(imap, mailbox),
    IMAP_TIMEOUT_SECONDS: 20,
    ...smtpKeys(smtp),
    DIGEST_FROM: 'digest@carolesgardens.example',
    DIGEST_TO: 'carole@carolesgardens.example',
    DIGEST_TIMEZONE: 'America/New_York',
    ...extra,
  });
  const env = { JOBS_STATE_DIR: wd.stateDir, COST_LEDGER: join(wd.dir, 'ledger.jsonl') };
  const checkpointPath = join(wd.stateDir, 'checkpoints', `digest-imap-${mailbox}.json`);
  const checkpoint = () => readFile(checkpointPath, 'utf8').catch(() => null);
  const run = (...args: string[]) => runMain(['--env-file', wd.envFile, '--no-llm', '--json', ...args], env, { sleep: instant });
  return { smtp, ...wd, env, checkpoint, run };
}

describe('a digest run over IMAP (dovecot)', () => {
  it('sends one digest of the threaded mailbox, moves the checkpoint; a second run sends nothing', async () => {
    await imap.createMailbox('Sample1');
    await imap.deliver('Sample1', await sampleMessages());
    const s = await setup('Sample1');
    await using _smtp = s.smtp;
    const r = await s.run();
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'sent', source: 'imap:Sample1', messages: 32, threads: 18, spam: 1, quarantined: 0 });
    expect(s.smtp.messages).toHaveLength(1);
    const mail = s.smtp.messages[0]!;
    expect(mail.envelope.to).toEqual(['carole@carolesgardens.example']);
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.parsed.text).toContain('Backyard patio and planting plan');
    const checkpoint = JSON.parse((await s.checkpoint())!);
    expect(checkpoint.lastUid).toBe(32);

    const again = await s.run();
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ outcome: 'empty', messages: 0 });
    expect(s.smtp.messages).toHaveLength(1);
  });

  it('--dry-run leaves the checkpoint, the flags and the SMTP capture untouched', async () => {
    await imap.createMailbox('Sample2');
    await imap.deliver('Sample2', await sampleMessages());
    const s = await setup('Sample2');
    await using _smtp = s.smtp;
    const flagsBefore = await flagsOf(imap.port, imap.user, imap.password, 'Sample2');
    expect(flagsBefore.filter((f) => !f.includes('\\Seen'))).toHaveLength(8); // 6 in new/, 2 unseen in cur/
    const out = join(s.dir, 'dry.html');
    const r = await s.run('--dry-run', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'dry-run', threads: 18, checkpointAdvanced: false });
    expect(await readFile(out, 'utf8')).toContain('Planters for Café Lumière terrace');
    expect(await s.checkpoint()).toBeNull();
    expect(s.smtp.messages).toHaveLength(0);
    expect(await flagsOf(imap.port, imap.user, imap.password, 'Sample2')).toEqual(flagsBefore);
    // and a real run still sees everything
    expect(JSON.parse((await s.run()).stdout)).toMatchObject({ outcome: 'sent', messages: 32 });
  });

  it('UIDVALIDITY reset (mailbox recreated): no message lost, none twice', async () => {
    await imap.createMailbox('Reset');
    const msg = (n: number) => rawMessage({ id: `reset-${n}@example.com`, subject: `Question number ${n}?`, body: `Body ${n}?` });
    await imap.deliver('Reset', [msg(1), msg(2), msg(3)]);
    const s = await setup('Reset');
    await using _smtp = s.smtp;
    expect(JSON.parse((await s.run()).stdout)).toMatchObject({ outcome: 'sent', messages: 3 });
    const validity = await imap.uidValidity('Reset');
    await imap.deliver('Reset', [msg(4), msg(5)]);
    await imap.recreateMailbox('Reset');
    expect(await imap.uidValidity('Reset')).not.toBe(validity);

    const r = await s.run();
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'sent', messages: 2, threads: 2 });
    const text = s.smtp.messages[1]!.parsed.text ?? '';
    expect(text).toContain('Question number 4?');
    expect(text).toContain('Question number 5?');
    for (const n of [1, 2, 3]) expect(text).not.toContain(`Question number ${n}?`);
    expect(JSON.parse((await s.run()).stdout)).toMatchObject({ outcome: 'empty' });
    expect(s.smtp.messages).toHaveLength(2);
  });

  it('an empty mailbox: a clean run, nothing sent, exit 0', async () => {
    await imap.createMailbox('Empty');
    const s = await setup('Empty');
    await using _smtp = s.smtp;
    const r = await s.run();
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'empty', messages: 0, threads: 0 });
    expect(s.smtp.messages).toHaveLength(0);
  });

  it('a server that goes silent after login: timeout, exit 1, checkpoint untouched', async () => {
    await using silent = await startSilentImap();
    const s = await setup('INBOX', { IMAP_PORT: silent.port, IMAP_TIMEOUT_SECONDS: 1 });
    await using _smtp = s.smtp;
    const r = await s.run();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ETIMEOUT|ECONNECTION|timed out/i);
    expect(r.stderr).not.toContain(imap.password);
    expect(await s.checkpoint()).toBeNull();
    expect(s.smtp.messages).toHaveLength(0);
  }, 60_000);
});
