// `farm alert schedule --failed`, what farm-schedule.service's OnFailure= runs when the daemon
// itself fails (a crash, a bad jobs file at a restart): one alert mail and one webhook POST
// naming the daemon and its journal, none for the same error again that day, one for another
// error; no run history is written (the daemon is not a job). And an instance unit that failed
// on a jobs file that does not load: `farm alert NAME --failed` alerts that error under the
// instance's key instead of failing too; the instance's next good run sends the recovery.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.ts';
import { alertReceivers } from './alert-servers.ts';
import { APP_DIR, Capture, sandbox, WORKSPACE } from './helpers.ts';

describe('the scheduler daemon failing', () => {
  it('alerts once a day per error through farm alert schedule --failed', async () => {
    await using sb = await sandbox();
    await using rx = await alertReceivers();
    await sb.writeEnv({ FARM_TIMEZONE: 'UTC', ...rx.keys });
    const clock = Date.parse('2026-11-23T09:00:00Z');
    const alert = async (monitor: Record<string, string>) => {
      const stdout = new Capture();
      const env = { ...sb.env, MONITOR_UNIT: 'farm-schedule.service', ...monitor };
      const code = await main(['alert', 'schedule', '--failed', '--json'], { env, stdout, stderr: new Capture(), cwd: sb.root, home: sb.home, workspaceRoot: sb.root, now: () => clock });
      return { code, out: stdout.lines()[0] };
    };
    expect(await alert({ MONITOR_SERVICE_RESULT: 'exit-code', MONITOR_EXIT_STATUS: '78' })).toEqual({ code: 0, out: expect.objectContaining({ job: 'schedule', instance: null, action: 'alerted', code: 'EXIT_78', sent: true, channels: ['mail', 'webhook'] }) });
    expect(rx.smtp.messages).toHaveLength(1);
    const [mail] = rx.smtp.messages;
    expect(mail?.parsed.subject).toMatch(/^\[farm\] schedule failed on .+: EXIT_78$/);
    expect(mail?.parsed.text).toMatch(/^The farm schedule daemon \(farm-schedule\.service\) failed on .+ at 2026-11-23 09:00:00 UTC\.\n/);
    expect(mail?.parsed.text).toContain("journalctl -u farm-schedule.service --since '2026-11-23 09:00:00 UTC'");
    expect(mail?.parsed.text).toMatch(/Fix: a repos\.env key is missing or malformed/);
    expect(rx.alerts()).toEqual([expect.objectContaining({ event: 'failure', job: 'schedule', code: 'EXIT_78' })]);

    expect((await alert({ MONITOR_SERVICE_RESULT: 'exit-code', MONITOR_EXIT_STATUS: '78' })).out).toMatchObject({ sent: false, decision: 'none' });
    expect(rx.smtp.messages).toHaveLength(1);
    expect((await alert({ MONITOR_SERVICE_RESULT: 'signal', MONITOR_EXIT_STATUS: 'KILL' })).out).toMatchObject({ code: 'EKILLED', sent: true });
    expect(rx.smtp.messages).toHaveLength(2);
    expect(existsSync(join(sb.state, 'farm', 'history'))).toBe(false);
    expect(rx.pings()).toEqual([]);
  });

  it('an instance whose jobs file does not load: the alert names the file\'s error; its next good run recovers', async () => {
    await using sb = await sandbox();
    await using rx = await alertReceivers();
    await sb.writeEnv({ FARM_TIMEZONE: 'UTC', FARM_JOB_DIGEST_SCRIPT: join(APP_DIR, 'test/fixtures/alert-job.ts'), ...rx.keys });
    await mkdir(join(sb.root, 'acme'));
    await writeFile(join(sb.root, 'acme', 'acme.env'), 'X=1\n', { mode: 0o600 });
    await writeFile(join(sb.root, 'acme', 'job-mode'), 'ok');
    const jobs = join(sb.root, 'jobs.json');
    await writeFile(jobs, '{\n  "instances": [\n    { "name": "acme", "job": "digets", "reposEnv": "acme/acme.env" }\n  ]\n}\n');
    const deps = (stdout: Capture) => ({ env: { ...sb.env, MONITOR_SERVICE_RESULT: 'exit-code', MONITOR_EXIT_STATUS: '78' }, stdout, stderr: new Capture(), cwd: sb.root, home: sb.home, workspaceRoot: WORKSPACE });
    const out = new Capture();
    expect(await main(['alert', 'acme', '--failed', '--json', '--jobs', jobs], deps(out))).toBe(0);
    expect(out.lines()[0]).toMatchObject({ job: null, instance: 'acme', action: 'alerted', code: 'ECONFIG', sent: true });
    expect(rx.smtp.messages[0]?.parsed.subject).toMatch(/^\[farm\] acme failed on .+: ECONFIG$/);
    expect(rx.smtp.messages[0]?.parsed.text).toContain(`jobs file ${jobs} line 3: instances[0].job`);
    // A name that cannot be an instance's: the jobs file's error stands (exit 78), nothing alerted.
    expect(await main(['alert', 'Not A Name', '--failed', '--jobs', jobs], deps(new Capture()))).toBe(78);
    expect(rx.smtp.messages).toHaveLength(1);

    await writeFile(jobs, JSON.stringify({ instances: [{ name: 'acme', job: 'digest', reposEnv: 'acme/acme.env' }] }));
    expect(await main(['run-job', 'acme', '--jobs', jobs], { ...deps(new Capture()), env: sb.env })).toBe(0);
    expect(rx.smtp.messages).toHaveLength(2);
    expect(rx.smtp.messages[1]?.parsed.subject).toMatch(/^\[farm\] acme \(digest\) recovered on /);
  });
});
