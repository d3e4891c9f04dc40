// Covers the remote path's host check against a real sshd on loopback: StrictHostKeyChecking=yes
// is always on the command line, so an ssh_config that says `StrictHostKeyChecking no` (here given
// with -F by a wrapper standing in for the user's ~/.ssh/config) cannot make ssh hand the API key
// on stdin to a host whose key is not known. With the host key known (FARM_SSH_KNOWN_HOSTS) the
// same request goes through.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FarmContext, RemoteSettings } from '../src/context.ts';
import { sshArgs, sshRoundTrip } from '../src/paths/remote.ts';
import { sandbox } from './helpers.ts';
import { startSshd } from './servers.ts';

const KEY = 'sk-ant-api03-host-key-test-0123456789';

/** The few context fields sshRoundTrip reads. */
function context(remote: RemoteSettings, parentEnv: Record<string, string>): FarmContext {
  return { remote, parentEnv, watchdogMs: 10_000, redact: (s: string) => s.split(KEY).join('[REDACTED]') } as unknown as FarmContext;
}

describe('remote path: the worker host must be known', () => {
  it('an ssh_config with StrictHostKeyChecking no does not send the key to an unknown host', async () => {
    await using sb = await sandbox();
    await using sshd = await startSshd(join(sb.root, 'sshd'));
    const received = join(sb.root, 'received.json');
    const config = join(sb.root, 'ssh_config');
    await writeFile(config, 'Host *\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n');
    const wrapper = join(sb.root, 'ssh-with-config.sh');
    await writeFile(wrapper, `#!/bin/sh\nexec ssh -F ${config} "$@"\n`, { mode: 0o700 });
    const remote: RemoteSettings = { host: '127.0.0.1', port: sshd.port, user: sshd.user, identityFile: sshd.identity, command: `cat > ${received}`, sshBin: wrapper };
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: sb.home };
    const unknown = await sshRoundTrip(context(remote, env), { apiKey: KEY });
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/host key verification failed|no .* host key is known/i);
    expect(await readFile(received, 'utf8').catch(() => 'nothing arrived')).toBe('nothing arrived');

    const known = await sshRoundTrip(context({ ...remote, knownHostsFile: sshd.knownHosts }, env), { apiKey: KEY });
    expect(known.code, known.stderr).toBe(0);
    expect(await readFile(received, 'utf8')).toContain(KEY);
  }, 60_000);

  it('ssh arguments always carry StrictHostKeyChecking=yes, with or without FARM_SSH_KNOWN_HOSTS', () => {
    for (const r of [{ host: 'w1', command: 'c' }, { host: 'w1', command: 'c', knownHostsFile: '/kh' }]) {
      const args = sshArgs(r);
      expect(args[args.indexOf('StrictHostKeyChecking=yes') - 1]).toBe('-o');
    }
  });
});
