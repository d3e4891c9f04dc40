// Failure alerts per jobs-file instance, under `farm schedule` with an injected clock, against a
// real SMTP server (smtp-server via @jobs/testkit) and a local HTTP server for the webhook and
// the pings: two instances failing the same day give two alerts; the same instance failing
// again that day (by the scheduler or by hand) gives none; one recovery mail per instance; each
// instance's own pingUrl gets start/fail/success (the job's ALERT_PING_URL_DIGEST none); and
// `farm alert INSTANCE --failed` (an instance unit's OnFailure=) alerts a new error once.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.ts';
import { historyPath, putRun, readHistory } from '../src/history.ts';
import { alertReceivers } from './alert-servers.ts';
import { APP_DIR, Capture, sandbox, WORKSPACE } from './helpers.ts';
import { driveSchedule } from './schedule-driver.ts';

const FIXTURE = join(APP_DIR, 'test/fixtures/alert-job.ts');

describe('alerts per instance', () => {
  it('two instances failing the same day: two alerts; a second failure of one: none; a recovery each; their own pings', async () => {
    await using sb = await sandbox();
    await using rx = await alertReceivers();
    await sb.writeEnv({ FARM_TIMEZONE: 'UTC', FARM_JOB_DIGEST_SCRIPT: FIXTURE, FARM_JOB_TIMEOUT_SECONDS: 20, ...rx.keys });
    const mode = (name: string, m: 'ok' | 'fail') => writeFile(join(sb.root, name, 'job-mode'), m);
    const instances = [];
    for (const name of ['acme', 'bolt']) {
      await mkdir(join(sb.root, name));
      await writeFile(join(sb.root, name, `${name}.env`), 'DIGEST_TO=x@example.test\n', { mode: 0o600 });
      instances.push({ name, job: 'digest', reposEnv: `${name}/${name}.env`, pingUrl: `${rx.hook.url}/ping/${name}-uuid`, schedule: { cron: '0 6,18 * * *' } });
    }
    const jobs = join(sb.root, 'jobs.json');
    await writeFile(jobs, JSON.stringify({ instances }));
    const pings = (name: string) => rx.hook.posts.filter((p) => p.path.startsWith(`/ping/${name}-uuid`)).map((p) => p.path.slice(`/ping/${name}-uuid`.length) || '/');
    const subjects = () => rx.smtp.messages.map((m) => m.parsed.subject);

    const stderr = new Capture();
    let now = (): number => Date.parse('2026-11-23T06:00:00Z');
    const deps = { env: sb.env, stdout: new Capture(), stderr, cwd: sb.root, home: sb.home, workspaceRoot: WORKSPACE, now: () => now() };
    const daemon = await driveSchedule(['--jobs', jobs], deps, '2026-11-23T06:00:00Z');
    now = daemon.now;
    const { fireAt } = daemon;

    await mode('acme', 'fail');
    await mode('bolt', 'fail');
    await fireAt('2026-11-23T06:00:00Z');
    expect(subjects().sort()).toEqual([expect.stringMatching(/^\[farm\] acme \(digest\) failed on .+: EAUTH$/), expect.stringMatching(/^\[farm\] bolt \(digest\) failed on .+: EAUTH$/)]);
    expect(rx.smtp.messages[0]?.parsed.text).toMatch(/^The (acme|bolt) instance of the digest job failed on /);
    expect(rx.alerts().map((a) => [a.event, a.instance, a.job, a.code]).sort()).toEqual([
      ['failure', 'acme', 'digest', 'EAUTH'],
      ['failure', 'bolt', 'digest', 'EAUTH'],
    ]);
    expect(pings('acme')).toEqual(['/start', '/fail']);
    expect(pings('bolt')).toEqual(['/start', '/fail']);

    // acme fails again the same day, bolt recovers: no alert for acme, one recovery for bolt.
    await mode('bolt', 'ok');
    await fireAt('2026-11-23T18:00:00Z');
    expect(rx.smtp.messages).toHaveLength(3);
    expect(subjects()[2]).toMatch(/^\[farm\] bolt \(digest\) recovered on /);
    expect(rx.alerts().map((a) => `${a.event}:${a.instance}`).slice(2)).toEqual(['recovery:bolt']);
    // acme by hand, the same error the same day: still none.
    expect(await main(['run-job', 'acme', '--jobs', jobs], { ...deps, stdout: new Capture(), stderr: new Capture() })).toBe(1);
    expect(rx.smtp.messages).toHaveLength(3);
    expect(pings('acme')).toEqual(['/start', '/fail', '/start', '/fail', '/start', '/fail']);
    expect(pings('bolt')).toEqual(['/start', '/fail', '/start', '/']);
    expect(pings('digest')).toEqual([]);

    // An instance unit killed by systemd: its OnFailure= runs `farm alert acme --failed`; a new error, so one alert.
    await putRun(historyPath(join(sb.state, 'farm'), 'instance-acme'), { id: 'killed', job: 'digest', instance: 'acme', trigger: 'systemd', startedAt: '2026-11-23T18:30:00.000Z', outcome: 'running', pid: 2 ** 22 + 1, host: 'h' });
    const out = new Capture();
    const monitor = { MONITOR_SERVICE_RESULT: 'timeout', MONITOR_EXIT_STATUS: 'TERM', MONITOR_UNIT: 'farm-instance@acme.service' };
    expect(await main(['alert', 'acme', '--failed', '--json', '--jobs', jobs], { ...deps, env: { ...sb.env, ...monitor }, stdout: out })).toBe(0);
    expect(out.lines()[0]).toMatchObject({ job: 'digest', instance: 'acme', action: 'recorded', code: 'ETIMEOUT_KILLED', sent: true });
    expect(subjects()[3]).toMatch(/^\[farm\] acme \(digest\) failed on .+: ETIMEOUT_KILLED$/);
    expect(rx.smtp.messages[3]?.parsed.text).toContain("journalctl -u farm-instance@acme.service --since '2026-11-23 18:30:00 UTC'");
    expect(pings('acme').at(-1)).toBe('/fail');

    await mode('acme', 'ok');
    await fireAt('2026-11-24T06:00:00Z');
    expect(subjects().slice(4)).toEqual([expect.stringMatching(/^\[farm\] acme \(digest\) recovered on /)]);
    expect(await daemon.stop()).toBe(0);

    const farm = join(sb.state, 'farm');
    expect((await readHistory(historyPath(farm, 'instance-acme'))).map((r) => `${r.trigger}:${r.outcome}:${r.code ?? ''}`)).toEqual([
      'schedule:failed:EAUTH',
      'schedule:failed:EAUTH',
      'cron:failed:EAUTH',
      'systemd:failed:ETIMEOUT_KILLED',
      'schedule:ok:',
    ]);
    expect((await readHistory(historyPath(farm, 'instance-bolt'))).map((r) => `${r.instance}:${r.outcome}`)).toEqual(['bolt:failed', 'bolt:ok', 'bolt:ok']);
    expect(await readHistory(historyPath(farm, 'digest'))).toEqual([]);
    expect(stderr.text).not.toContain('acme-uuid');
    expect(stderr.text).not.toContain('T0KEN-secret');
  }, 120_000);
});
