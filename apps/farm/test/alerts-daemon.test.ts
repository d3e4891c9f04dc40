// `farm alert schedule --failed`, what farm-schedule.service's OnFailure= runs when the daemon
// itself fails (a crash, a bad jobs file at a restart): one alert mail and one webhook POST
// naming the daemon and its journal, none for the same error again that day, one for another
// error; no run history is written (the daemon is not a job).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.ts';
import { alertReceivers } from './alert-servers.ts';
import { Capture, sandbox } from './helpers.ts';

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
});
