// Failure alerts under the two other ways a job is started: the crontab lines of `farm crontab`
// run the way cron runs them (env -i, the lines' own variables), and a systemd unit killed at
// its time limit whose OnFailure= unit runs `farm alert JOB --failed` with systemd's MONITOR_*
// variables. Each: one alert mail and one webhook POST, none for a second failure that day,
// one recovery mail at the next success.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.ts';
import { readHistory } from '../src/history.ts';
import { alertReceivers, setMode } from './alert-servers.ts';
import { APP_DIR, Capture, sandbox, WORKSPACE } from './helpers.ts';

const FIXTURE = join(APP_DIR, 'test/fixtures/alert-job.ts');

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('alerts from crontab lines and systemd units', () => {
  it('a crontab line run by cron alerts once, stays quiet the same day, and sends the recovery', async () => {
    await using sb = await sandbox();
    await using rx = await alertReceivers();
    await sb.writeEnv({ FARM_TIMEZONE: 'UTC', FARM_JOB_DIGEST_SCRIPT: FIXTURE, ...rx.keys });
    const out = new Capture();
    expect(await main(['crontab'], { env: sb.env, stdout: out, stderr: new Capture(), cwd: sb.root, home: sb.home, workspaceRoot: WORKSPACE, systemTimezone: 'UTC' })).toBe(0);
    const vars: string[] = [];
    let digest = '';
    for (const l of out.text.split('\n')) {
      if (l === '' || l.startsWith('#')) continue;
      const v = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(l);
      if (v) vars.push(`${v[1]}=${v[2]}`);
      else if (l.includes('run-job digest')) digest = l.split(/\s+/).slice(5).join(' ').replace(/\\%/g, '%');
    }
    // Asynchronous: the SMTP and webhook servers live in this process and must keep answering.
    const cron = (): Promise<number | null> =>
      new Promise((r) => spawn('env', ['-i', 'PATH=/usr/bin:/bin', `HOME=${sb.home}`, 'SHELL=/bin/sh', 'LOGNAME=jobs', ...vars, 'sh', '-c', digest], { stdio: 'ignore' }).once('close', r));
    await setMode(sb.root, 'fail');
    expect(await cron()).toBe(1);
    expect(rx.smtp.messages).toHaveLength(1);
    expect(rx.smtp.messages[0]?.parsed.subject).toMatch(/digest failed on .+: EAUTH$/);
    expect(rx.smtp.messages[0]?.parsed.text).toContain(`tail -n 200 ${join(sb.state, 'farm', 'cron.log')}`);
    expect(rx.alerts()).toHaveLength(1);
    expect(await cron()).toBe(1);
    expect(rx.smtp.messages).toHaveLength(1);
    expect(rx.alerts()).toHaveLength(1);
    await setMode(sb.root, 'ok');
    expect(await cron()).toBe(0);
    expect(rx.smtp.messages).toHaveLength(2);
    expect(rx.smtp.messages[1]?.parsed.subject).toMatch(/digest recovered/);
    expect(rx.alerts().map((a) => a.event)).toEqual(['failure', 'recovery']);
    const runs = await readHistory(join(sb.state, 'farm', 'history', 'digest.json'));
    expect(runs.map((r) => `${r.trigger}:${r.outcome}`)).toEqual(['cron:failed', 'cron:failed', 'cron:ok']);
    expect(readFileSync(join(sb.state, 'farm', 'cron.log'), 'utf8')).not.toContain('T0KEN-secret');
  }, 300_000);

  it('a unit killed at its time limit is alerted by farm alert --failed (OnFailure=), once a day; the next success recovers', async () => {
    await using sb = await sandbox();
    await using rx = await alertReceivers();
    await sb.writeEnv({ FARM_TIMEZONE: 'UTC', FARM_JOB_DIGEST_SCRIPT: FIXTURE, ...rx.keys });
    const history = join(sb.state, 'farm', 'history', 'digest.json');
    const unitEnv = { ...sb.env, INVOCATION_ID: '0123456789abcdef0123456789abcdef' };
    const monitor = { MONITOR_SERVICE_RESULT: 'timeout', MONITOR_EXIT_CODE: 'killed', MONITOR_EXIT_STATUS: 'TERM', MONITOR_UNIT: 'farm-digest.service', MONITOR_INVOCATION_ID: unitEnv.INVOCATION_ID };
    await setMode(sb.root, 'hang');
    const killedRun = async (n: number): Promise<void> => {
      // ExecStart of farm-digest.service, killed the way systemd ends a unit at TimeoutStartSec: its whole cgroup.
      const unit = spawn(process.execPath, [join(APP_DIR, 'src/cli.ts'), '--', 'run-job', 'digest'], { cwd: WORKSPACE, env: unitEnv, stdio: 'ignore', detached: true });
      await until(async () => existsSync(join(sb.root, 'job-pid')) && (await readHistory(history)).filter((r) => r.outcome === 'running').length === 1, `run ${n} to start`);
      const jobPid = Number(readFileSync(join(sb.root, 'job-pid'), 'utf8'));
      const closed = new Promise((r) => unit.once('close', r));
      process.kill(-(unit.pid as number), 'SIGKILL');
      process.kill(-jobPid, 'SIGKILL');
      await closed;
      spawnSync('rm', ['-f', join(sb.root, 'job-pid')]);
    };
    await killedRun(1);
    const alert = async () => {
      const stdout = new Capture();
      const code = await main(['alert', 'digest', '--failed', '--json'], { env: { ...sb.env, ...monitor }, stdout, stderr: new Capture(), cwd: sb.root, home: sb.home, workspaceRoot: WORKSPACE });
      return { code, out: stdout.lines()[0] };
    };
    expect(await alert()).toEqual({ code: 0, out: expect.objectContaining({ action: 'recorded', code: 'ETIMEOUT_KILLED', sent: true, channels: ['mail', 'webhook'] }) });
    expect(rx.smtp.messages).toHaveLength(1);
    expect(rx.smtp.messages[0]?.parsed.subject).toMatch(/: ETIMEOUT_KILLED$/);
    expect(rx.smtp.messages[0]?.parsed.text).toContain('journalctl -u farm-digest.service --since');
    expect(rx.smtp.messages[0]?.parsed.text).toContain('TimeoutStartSec');
    expect(rx.alerts()).toEqual([expect.objectContaining({ event: 'failure', code: 'ETIMEOUT_KILLED' })]);
    // The OnFailure unit may run twice for one failure: the second finds the run closed.
    expect((await alert()).out).toMatchObject({ action: 'already-recorded' });

    await killedRun(2);
    expect((await alert()).out).toMatchObject({ action: 'recorded', sent: false, decision: 'none' });
    expect(rx.smtp.messages).toHaveLength(1);
    expect(rx.alerts()).toHaveLength(1);

    await setMode(sb.root, 'ok');
    const ok = await main(['run-job', 'digest'], { env: unitEnv, stdout: new Capture(), stderr: new Capture(), cwd: sb.root, home: sb.home, workspaceRoot: WORKSPACE });
    expect(ok).toBe(0);
    expect(rx.smtp.messages).toHaveLength(2);
    expect(rx.smtp.messages[1]?.parsed.subject).toMatch(/digest recovered/);
    expect((await readHistory(history)).map((r) => `${r.trigger}:${r.outcome}:${r.code ?? ''}`)).toEqual(['systemd:failed:ETIMEOUT_KILLED', 'systemd:failed:ETIMEOUT_KILLED', 'systemd:ok:']);
  }, 300_000);
});
