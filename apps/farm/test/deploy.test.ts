// Covers deploy/: each systemd unit starts on a host where the state folder does not exist yet
// (ReadWritePaths of a missing folder is 226/NAMESPACE unless "-"-prefixed, and the folder is
// created before the sandbox), the guide creates the folder, and `systemd-analyze verify` is clean.
// The timers: Persistent=true, the schedule's default times, each job's unit wired by
// OnFailure= to farm-alert@JOB (which runs `farm alert JOB --failed`); farm-schedule.service
// wired to farm-alert@schedule; the instance template (farm-instance@.service / .timer) runs
// `run-job %i` and is wired to farm-alert@%i; every OnFailure= names a unit of deploy/
// (systemd-analyze verify does not check that); the instance units verify once instantiated;
// the logrotate snippet rotates the log the crontab lines write.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_DIR } from './helpers.ts';

const DEPLOY = join(APP_DIR, 'deploy');
const UNITS = readdirSync(DEPLOY).filter((f) => f.endsWith('.service'));
const TIMERS = readdirSync(DEPLOY).filter((f) => f.endsWith('.timer'));

/** `key=value` settings of a unit file, in order (comments dropped). */
function settings(file: string): Array<[string, string]> {
  return readFileSync(join(DEPLOY, file), 'utf8')
    .split('\n')
    .filter((l) => /^[A-Za-z]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]);
}

const hasAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;
const hasLogrotate = spawnSync('logrotate', ['--version']).status === 0;

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
    // The build's JavaScript: no pnpm, no type stripping, and farm's job children follow it.
    expect(s.find(([k]) => k === 'ExecStart')?.[1]).toMatch(/^\/usr\/bin\/node apps\/farm\/dist\/cli\.js [\w%-]+( [\w%-]+)*$/);
  });

  it('the guide names no TypeScript entry for a unit', () => {
    expect(readFileSync(join(DEPLOY, 'README.md'), 'utf8')).not.toMatch(/ExecStart=[^\n`]*\.ts/);
  });

  it('the guide creates the state folder', () => {
    expect(readFileSync(join(DEPLOY, 'README.md'), 'utf8')).toMatch(/install -d -m 700 [^\n]*~\/\.local\/state\/jobs/);
  });

  it.each([
    ['digest', '*-*-* 06,18:00:00'],
    ['lead-responder', '*:0/5'],
  ])('the %s timer is persistent, at the schedule\'s default times, and its unit alerts on failure', (job, calendar) => {
    expect(TIMERS).toContain(`farm-${job}.timer`);
    const t = settings(`farm-${job}.timer`);
    expect(t).toContainEqual(['Persistent', 'true']);
    expect(t).toContainEqual(['OnCalendar', calendar]);
    expect(t).toContainEqual(['WantedBy', 'timers.target']);
    const u = settings(`farm-${job}.service`);
    expect(u).toContainEqual(['Type', 'oneshot']);
    expect(u).toContainEqual(['OnFailure', `farm-alert@${job}.service`]);
    expect(u.find(([k]) => k === 'ExecStart')?.[1]).toMatch(new RegExp(`apps/farm/dist/cli\\.js run-job ${job}$`));
  });

  it('farm-schedule.service alerts on failure through farm-alert@schedule', () => {
    expect(settings('farm-schedule.service')).toContainEqual(['OnFailure', 'farm-alert@schedule.service']);
  });

  it('the instance template: a oneshot run-job %i, alerting through farm-alert@%i; its timer is persistent', () => {
    const u = settings('farm-instance@.service');
    expect(u).toContainEqual(['Type', 'oneshot']);
    expect(u).toContainEqual(['OnFailure', 'farm-alert@%i.service']);
    expect(u.find(([k]) => k === 'ExecStart')?.[1]).toMatch(/^\/usr\/bin\/node apps\/farm\/dist\/cli\.js run-job %i$/);
    const t = settings('farm-instance@.timer');
    expect(t).toContainEqual(['Persistent', 'true']);
    expect(t).toContainEqual(['WantedBy', 'timers.target']);
    expect(t.some(([k]) => k === 'OnCalendar')).toBe(true);
  });

  it.each(UNITS.filter((u) => settings(u).some(([k]) => k === 'OnFailure')))('%s: its OnFailure= unit is in deploy/', (unit) => {
    for (const [, target] of settings(unit).filter(([k]) => k === 'OnFailure')) {
      const m = /^([\w-]+@)([\w%-]+)\.service$/.exec(target);
      const file = m ? `${m[1]}.service` : target;
      expect(UNITS, `${unit}: OnFailure=${target}`).toContain(file);
    }
  });

  it('farm-alert@.service runs farm alert for its instance with --failed', () => {
    expect(settings('farm-alert@.service').find(([k]) => k === 'ExecStart')?.[1]).toMatch(/apps\/farm\/dist\/cli\.js alert %i --failed$/);
  });

  it('the logrotate snippet rotates the cron log of the units\' state folder as its owner', () => {
    const text = readFileSync(join(DEPLOY, 'farm-cron.logrotate'), 'utf8');
    const state = settings('farm-digest.service').find(([k, v]) => k === 'Environment' && v.startsWith('JOBS_STATE_DIR='))?.[1].slice('JOBS_STATE_DIR='.length);
    expect(text).toContain(`${state}/farm/cron.log {`);
    for (const d of ['su jobs jobs', 'missingok', 'notifempty', 'create 0600 jobs jobs']) expect(text).toContain(d);
  });

  it.runIf(hasLogrotate)('logrotate -d accepts the snippet', () => {
    const r = spawnSync('logrotate', ['-d', join(DEPLOY, 'farm-cron.logrotate')], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/error/i);
  });
  it.skipIf(hasLogrotate)('logrotate is not installed here (apt package logrotate): the snippet is not checked by logrotate -d', () => {});

  it.skipIf(hasAnalyze)('systemd-analyze is not installed here (apt package systemd): the units are not verified', () => {});

  it.runIf(hasAnalyze)('systemd-analyze verify reports nothing', () => {
    const r = spawnSync('systemd-analyze', ['verify', ...[...UNITS, ...TIMERS].map((u) => join(DEPLOY, u))], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr.trim()).toBe('');
  });

  it.runIf(hasAnalyze)('systemd-analyze verify accepts the instance units instantiated (farm-instance@acme-digest)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'farm-units-'));
    try {
      const copies: Array<[string, string]> = [
        ['farm-instance@.service', 'farm-instance@acme-digest.service'],
        ['farm-instance@.timer', 'farm-instance@acme-digest.timer'],
        ['farm-alert@.service', 'farm-alert@acme-digest.service'],
        ['farm-alert@.service', 'farm-alert@schedule.service'],
        ['farm-schedule.service', 'farm-schedule.service'],
      ];
      for (const [from, to] of copies) copyFileSync(join(DEPLOY, from), join(dir, to));
      const r = spawnSync('systemd-analyze', ['verify', ...copies.map(([, to]) => join(dir, to))], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr.trim()).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
