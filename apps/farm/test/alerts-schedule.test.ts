// Failure alerts under `farm schedule` driven by an injected clock, against a real SMTP server
// (smtp-server) and a local webhook: one alert mail and one webhook POST for a failure, none for
// the same failure again that day, a new one when the error changes (a run killed at its time
// limit), one recovery mail at the next success; the monitor's pings; nothing leaks the tokens.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHistory } from '../src/history.ts';
import { alertReceivers, setMode } from './alert-servers.ts';
import { APP_DIR, Capture, sandbox, WORKSPACE } from './helpers.ts';
import { driveSchedule } from './schedule-driver.ts';

const FIXTURE = join(APP_DIR, 'test/fixtures/alert-job.ts');

describe('farm schedule alerts', () => {
  it('alerts once per error per day, again when the error changes, and sends one recovery', async () => {
    await using sb = await sandbox();
    await using rx = await alertReceivers();
    await sb.writeEnv({ FARM_TIMEZONE: 'UTC', FARM_SCHEDULE_LEAD_RESPONDER: '0 0 1 1 *', FARM_JOB_DIGEST_SCRIPT: FIXTURE, FARM_JOB_TIMEOUT_SECONDS: 10, ...rx.keys });
    const stderr = new Capture();
    const daemon = await driveSchedule([], { env: sb.env, stdout: new Capture(), stderr, cwd: sb.root, home: sb.home, workspaceRoot: WORKSPACE }, '2026-11-23T06:00:00Z');
    const { fireAt } = daemon;

    await setMode(sb.root, 'fail');
    await fireAt('2026-11-23T06:00:00Z');
    expect(rx.smtp.messages).toHaveLength(1);
    const [first] = rx.smtp.messages;
    expect(first?.envelope.to).toEqual(['owner@example.test']);
    expect(first?.parsed.subject).toMatch(/^\[farm\] digest failed on .+: EAUTH$/);
    expect(first?.parsed.text).toContain('Message: IMAP login refused for carole@example.test');
    expect(first?.parsed.text).toMatch(/Fix: a password or API key was refused/);
    expect(first?.parsed.text).toContain("journalctl -u farm-schedule.service --since '2026-11-23 06:00:00 UTC'");
    expect(rx.alerts()).toEqual([expect.objectContaining({ event: 'failure', job: 'digest', code: 'EAUTH', title: first?.parsed.subject })]);
    expect(rx.pings()).toEqual(['/start', '/fail']);

    await fireAt('2026-11-23T18:00:00Z');
    expect(rx.smtp.messages).toHaveLength(1);
    expect(rx.alerts()).toHaveLength(1);

    // Killed at its 10 s limit: a failure with another code, so a second alert the same day.
    await setMode(sb.root, 'hang');
    await fireAt('2026-11-23T18:00:00Z');
    expect(rx.smtp.messages).toHaveLength(2);
    expect(rx.smtp.messages[1]?.parsed.subject).toMatch(/: ETIMEOUT_KILLED$/);
    expect(rx.smtp.messages[1]?.parsed.text).toContain('killed at its time limit (10 s)');

    await setMode(sb.root, 'ok');
    await fireAt('2026-11-24T06:00:00Z');
    expect(rx.smtp.messages).toHaveLength(3);
    expect(rx.smtp.messages[2]?.parsed.subject).toMatch(/^\[farm\] digest recovered on /);
    expect(rx.smtp.messages[2]?.parsed.text).toContain('failing since 2026-11-23 06:00:00 UTC');
    expect(rx.alerts().map((a) => a.event)).toEqual(['failure', 'failure', 'recovery']);
    await fireAt('2026-11-24T18:00:00Z');
    expect(rx.smtp.messages).toHaveLength(3);

    expect(await daemon.stop()).toBe(0);
    const runs = await readHistory(join(sb.state, 'farm', 'history', 'digest.json'));
    expect(runs.map((r) => [r.trigger, r.outcome, r.code ?? null])).toEqual([
      ['schedule', 'failed', 'EAUTH'],
      ['schedule', 'failed', 'EAUTH'],
      ['schedule', 'failed', 'ETIMEOUT_KILLED'],
      ['schedule', 'ok', null],
      ['schedule', 'ok', null],
    ]);
    expect(stderr.text).not.toContain('T0KEN-secret');
    expect(stderr.text).not.toContain('digest-uuid');
    expect(stderr.text).not.toContain(rx.smtp.password);
  }, 60_000);
});
