// Covers the CLI: --help, usage errors (2), missing keys (78) as a child; the run lock; --dry-run changes nothing; --approve; --watch answers a lead appended later.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChild } from './support/child.ts';
import { directLead } from './support/sample.ts';
import { startWorld } from './support/world.ts';

describe('the CLI as a child process', () => {
  it('prints help (0), refuses bad flags (2) and a repos.env with missing keys (78)', async () => {
    await using w = await startWorld();
    const help = await runChild(['--help'], w.childEnv).done;
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: pnpm --filter lead-responder start');
    const bad = await runChild(['--bogus'], w.childEnv).done;
    expect(bad.code).toBe(2);
    const both = await runChild(['--dry-run', '--approve'], w.childEnv).done;
    expect(both.code).toBe(2);
    const envPath = join(w.dir, 'partial.env');
    await writeFile(envPath, 'ANTHROPIC_API_KEY=x\n', { mode: 0o600 });
    const cfg = await runChild(['--env-file', envPath], w.childEnv).done;
    expect(cfg.code).toBe(78);
    expect(cfg.stderr).toContain('LEAD_IMAP_HOST');
    expect(cfg.stderr).toContain('LEAD_PROFILE_PATH');
  });

  it('a second run exits at once saying which run holds the lock', async () => {
    await using w = await startWorld();
    await mkdir(join(w.stateDir, 'lead-responder'), { recursive: true });
    // the test process itself is alive: its pid holds the lock
    await writeFile(join(w.stateDir, 'lead-responder', 'run.lock'), JSON.stringify({ pid: process.pid, startedAt: 'now' }), { mode: 0o600 });
    await w.deliver(directLead(1));
    const r = await runChild(['--env-file', w.envPath], w.childEnv).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`pid ${process.pid}`);
    expect(w.smtp.messages).toHaveLength(0);
  });
});

describe('modes', () => {
  it('--dry-run prints decisions and drafts and changes nothing', async () => {
    await using w = await startWorld();
    await w.deliver(directLead(1));
    let out = '';
    const { main } = await import('../src/main.ts');
    const code = await main(['--dry-run', '--env-file', w.envPath], {
      env: { JOBS_STATE_DIR: w.stateDir, COST_LEDGER: w.ledgerPath },
      stdout: { write: (s: string) => {
        out += s;
        return true;
      } },
      stderr: { write: () => true },
      cwd: w.dir,
      home: w.dir,
      workspaceRoot: w.dir,
    });
    expect(code).toBe(0);
    expect(out).toContain('[dry-run] uid 1 lead via direct: would send "Re: Garden question 1" to customer1@example.org');
    expect(out).toContain('$95');
    expect(w.smtp.messages).toHaveLength(0);
    expect(await w.mailbox('Drafts')).toHaveLength(0);
    expect((await w.mailbox('INBOX'))[0]!.flags).not.toContain('\\Answered');
    expect(await readdir(join(w.stateDir, 'lead-responder'))).toEqual([]);
  });

  it('--approve puts drafts in Drafts and mails the owner one notice', async () => {
    await using w = await startWorld();
    await w.deliver(directLead(1), directLead(2));
    const r = await w.run(['--approve']);
    expect(r.report).toMatchObject({ drafted: 2, answered: 0, noticesSent: 1 });
    expect(w.replies()).toHaveLength(0);
    expect(w.smtp.messages.map((m) => m.envelope.to[0])).toEqual(['carole@carolesgardens.example']);
    const drafts = await w.mailbox('Drafts');
    expect(drafts.map((d) => d.message.to[0]?.address).sort()).toEqual(['customer1@example.org', 'customer2@example.org']);
    expect(drafts.every((d) => d.flags.includes('\\Draft'))).toBe(true);
  });

  it('--watch answers a lead appended after it started, without a restart', async () => {
    await using w = await startWorld({ LEAD_WATCH_POLL_SECONDS: '2' });
    await w.deliver(directLead(1));
    const ac = new AbortController();
    const running = w.run(['--watch'], { signal: ac.signal });
    try {
      await w.smtp.waitFor(1, { timeoutMs: 20_000 });
      await w.deliver(directLead(2));
      await w.smtp.waitFor(2, { timeoutMs: 20_000 });
    } finally {
      ac.abort();
    }
    const r = await running;
    expect(r.code, r.stderr).toBe(0);
    expect(w.replies().map((x) => x.to)).toEqual(['customer1@example.org', 'customer2@example.org']);
  });
});
