// Covers deploy/: each systemd unit starts on a host where the state folder does not exist yet
// (ReadWritePaths of a missing folder is 226/NAMESPACE unless "-"-prefixed, and the folder is
// created before the sandbox), the guide creates the folder, and `systemd-analyze verify` is clean.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_DIR } from './helpers.ts';

const DEPLOY = join(APP_DIR, 'deploy');
const UNITS = readdirSync(DEPLOY).filter((f) => f.endsWith('.service'));

/** `key=value` settings of a unit file, in order (comments dropped). */
function settings(file: string): Array<[string, string]> {
  return readFileSync(join(DEPLOY, file), 'utf8')
    .split('\n')
    .filter((l) => /^[A-Za-z]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]);
}

const hasAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

describe('deploy units', () => {
  it.each(UNITS)('%s: state folder is optional to the namespace and created before the start', (unit) => {
    const s = settings(unit);
    const state = s.find(([k, v]) => k === 'Environment' && v.startsWith('JOBS_STATE_DIR='))?.[1].slice('JOBS_STATE_DIR='.length);
    expect(state).toBeDefined();
    const rw = s.filter(([k]) => k === 'ReadWritePaths').flatMap(([, v]) => v.split(/\s+/));
    expect(rw).toContain(`-${state}`);
    for (const p of rw) expect(p.startsWith('-'), `${unit}: ReadWritePaths ${p} fails the start when missing`).toBe(true);
    const pre = s.filter(([k]) => k === 'ExecStartPre').map(([, v]) => v);
    expect(pre.some((v) => v.startsWith('+') && v.includes('mkdir -p') && v.endsWith(` ${state}`))).toBe(true);
    expect(s.find(([k]) => k === 'ExecStart')?.[1]).toMatch(/apps\/farm\/src\/cli\.ts -- \w+$/);
  });

  it('the guide creates the state folder', () => {
    expect(readFileSync(join(DEPLOY, 'README.md'), 'utf8')).toMatch(/install -d -m 700 [^\n]*~\/\.local\/state\/jobs/);
  });

  it.runIf(hasAnalyze)('systemd-analyze verify reports nothing', () => {
    const r = spawnSync('systemd-analyze', ['verify', ...UNITS.map((u) => join(DEPLOY, u))], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr.trim()).toBe('');
  });
});
