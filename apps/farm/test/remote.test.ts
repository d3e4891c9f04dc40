// Covers the remote path against a real sshd on a loopback port with a test key: the task runs
// on the "worker" through `farm remote-exec`, the API key travels on stdin only and never shows
// in any process's argv or environment (checked while the worker's call is in flight), nor in the
// remote user's profile files; the ledger rows come back with path remote.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startAnthropicSimulator } from '@jobs/testkit/anthropic-simulator';
import { sshArgs } from '../src/paths/remote.ts';
import { baseEnv, sandbox, WORKSPACE } from './helpers.ts';

// A key used by no other test file: files run in parallel, and the scan covers every process.
const KEY = 'sk-ant-api03-remote-only-test-key-9876543210';
import { startSshd } from './servers.ts';

/** Every process's argv and environment that holds `needle` (pid list). */
async function processesHolding(needle: string): Promise<string[]> {
  const hits: string[] = [];
  for (const pid of (await readdir('/proc')).filter((d) => /^\d+$/.test(d))) {
    for (const f of ['cmdline', 'environ']) {
      try {
        if ((await readFile(`/proc/${pid}/${f}`)).includes(needle)) hits.push(`${pid}/${f}`);
      } catch {
        // process gone or not readable
      }
    }
  }
  return hits;
}

describe('remote path over a real sshd', () => {
  it('runs the task on the worker with the key on stdin only', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [KEY] });
    await using sb = await sandbox();
    await using sshd = await startSshd(join(sb.root, 'sshd'));
    const remoteState = join(sb.root, 'remote-state');
    const command = `cd ${WORKSPACE} && JOBS_STATE_DIR=${remoteState} ${process.execPath} apps/farm/src/cli.ts remote-exec`;
    await sb.writeEnv(
      baseEnv(sim.url, {
        ANTHROPIC_API_KEY: KEY,
        FARM_SSH_HOST: '127.0.0.1',
        FARM_SSH_PORT: sshd.port,
        FARM_SSH_USER: sshd.user,
        FARM_SSH_IDENTITY: sshd.identity,
        FARM_SSH_KNOWN_HOSTS: sshd.knownHosts,
        FARM_SSH_COMMAND: command,
      }),
    );
    let seenDuringCall: string[] | undefined;
    let workerAlive: string[] = [];
    let arrived!: () => void;
    const requestArrived = new Promise<void>((r) => {
      arrived = r;
    });
    // The reply is held 1.5 s so the worker's processes are alive while we look at every process.
    sim.respond(() => {
      arrived();
      return { kind: 'reply', text: 'remote done', latencyMs: 1500 };
    });
    const probe = (async () => {
      await requestArrived;
      seenDuringCall = await processesHolding(KEY);
      workerAlive = await processesHolding('remote-exec');
    })();
    const r = await sb.run(['run', '--path', 'remote', '--atomic', '--json'], 'Summarize the week.');
    await probe;
    expect(r.code, r.stderr.text).toBe(0);
    expect(r.stdout.lines()[0]).toMatchObject({ ok: true, path: 'remote', text: 'remote done', reason: 'requested with --path remote' });
    expect(sim.messageRequests()[0]?.credential.value).toBe(KEY);
    expect(seenDuringCall).toEqual([]);
    // The scan did see the worker (ssh and remote-exec hold "remote-exec" in their argv).
    expect(workerAlive.some((h) => h.endsWith('/cmdline'))).toBe(true);
    const rows = await sb.rows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ path: 'remote', outcome: 'ok', reason: 'requested with --path remote' });
    // Nothing was written into the remote user's profile or ssh environment file.
    for (const f of ['.profile', '.bashrc', '.ssh/environment']) {
      const text = await readFile(join(process.env.HOME ?? '/root', f), 'utf8').catch(() => '');
      expect(text.includes(KEY)).toBe(false);
    }
  }, 90_000);

  it('ssh arguments carry BatchMode and no secret', () => {
    const args = sshArgs({ host: 'w1', user: 'farm', port: 2222, identityFile: '/k', knownHostsFile: '/kh', command: 'farm remote-exec' });
    expect(args.slice(0, 2)).toEqual(['-o', 'BatchMode=yes']);
    expect(args).toContain('farm@w1');
    expect(args.join(' ')).not.toMatch(/sk-ant/);
  });
});
