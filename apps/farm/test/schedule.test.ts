// Covers `farm schedule`'s core with an injected clock: each job fires on time in the
// configured time zone (digest 06:00 and 18:00 Paris, lead responder every 5 minutes), a run
// that would overlap one still going is skipped; the crontab lines; the terms opt-in.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noopLogger } from '@jobs/core/logger';
import { createScheduler, type FireEvent } from '../src/schedule.ts';
import { main } from '../src/main.ts';
import { APP_DIR, Capture, sandbox, WORKSPACE } from './helpers.ts';

const FAKE = join(APP_DIR, 'test/fixtures/fake-job.ts');

describe('scheduler (injected clock)', () => {
  it('fires each job on time in Europe/Paris and skips a run that would overlap', async () => {
    const events: FireEvent[] = [];
    const pending = new Map<string, () => void>();
    const s = createScheduler({
      entries: [
        { job: 'digest', cron: '0 6,18 * * *' },
        { job: 'lead-responder', cron: '*/5 * * * *' },
      ],
      timezone: 'Europe/Paris',
      logger: noopLogger,
      onEvent: (e) => events.push(e),
      // Each run stays "going" until the test releases it.
      fire: (job, at) => new Promise<void>((r) => pending.set(`${job}@${at.toISOString()}`, r)),
    });
    const start = Date.parse('2026-11-23T00:00:00+01:00');
    for (let m = 0; m < 24 * 60; m++) {
      const at = new Date(start + m * 60_000);
      s.tick(at);
      // Runs finish within the minute, except the lead responder started at 10:00, which takes 12 minutes.
      for (const [key, release] of pending) {
        const startedAt = Date.parse(key.slice(key.indexOf('@') + 1));
        const long = key === `lead-responder@${new Date(Date.parse('2026-11-23T10:00:00+01:00')).toISOString()}`;
        if (at.getTime() - startedAt >= (long ? 12 : 1) * 60_000 - 60_000) {
          pending.delete(key);
          release();
        }
      }
      await Promise.resolve();
      await new Promise((r) => setImmediate(r));
    }
    await s.idle();
    const digest = events.filter((e) => e.job === 'digest');
    expect(digest.map((e) => [e.at.toISOString(), e.action])).toEqual([
      ['2026-11-23T05:00:00.000Z', 'started'],
      ['2026-11-23T17:00:00.000Z', 'started'],
    ]);
    const lead = events.filter((e) => e.job === 'lead-responder');
    expect(lead).toHaveLength(288);
    expect(lead.every((e) => e.at.getUTCMinutes() % 5 === 0)).toBe(true);
    const skipped = lead.filter((e) => e.action === 'skipped-overlap').map((e) => e.at.toISOString());
    expect(skipped).toEqual(['2026-11-23T09:05:00.000Z', '2026-11-23T09:10:00.000Z']);
    expect(lead.find((e) => e.at.toISOString() === '2026-11-23T09:15:00.000Z')?.action).toBe('started');
    await s.stop();
  });

  it('refuses an invalid cron expression with ECONFIG', () => {
    expect(() => createScheduler({ entries: [{ job: 'digest', cron: '61 * * * *' }], timezone: 'UTC', logger: noopLogger, fire: async () => {} })).toThrow(
      expect.objectContaining({ code: 'ECONFIG' }),
    );
  });
});

describe('farm crontab / schedule commands', () => {
  it('prints CRON_TZ and flock-guarded lines on the API path by default', async () => {
    await using sb = await sandbox();
    await sb.writeEnv({ FARM_TIMEZONE: 'Europe/Paris', FARM_SCHEDULE_LEAD_RESPONDER: '*/10 * * * *' });
    const r = await sb.run(['crontab']);
    expect(r.code, r.stderr.text).toBe(0);
    const lines = r.stdout.text.trim().split('\n');
    expect(lines).toContain('CRON_TZ=Europe/Paris');
    expect(lines.some((l) => l.startsWith('0 6,18 * * * mkdir -p ') && l.includes('flock -n') && l.includes(' node apps/farm/dist/cli.js run-job digest --path api >> '))).toBe(true);
    expect(lines.some((l) => l.startsWith('*/10 * * * * ') && l.includes('run-job lead-responder'))).toBe(true);
  });

  it('installed lines run under cron\'s minimal environment: PATH, REPOS_ENV and JOBS_STATE_DIR lines, the state folder created', async () => {
    await using sb = await sandbox();
    // node reachable only through a folder cron's PATH lacks: the PATH= line must carry it.
    const bin = join(sb.root, 'bin');
    const used = join(sb.root, 'node-used');
    await mkdir(bin);
    await writeFile(join(bin, 'node'), `#!/bin/sh\necho "$*" >> '${used}'\nexec '${process.execPath}' "$@"\n`, { mode: 0o755 });
    await sb.writeEnv({ FARM_TIMEZONE: 'Europe/Paris', FARM_JOB_DIGEST_SCRIPT: FAKE, FARM_JOB_LEAD_RESPONDER_SCRIPT: FAKE });
    const stdout = new Capture();
    const stderr = new Capture();
    const env = { ...sb.env, PATH: `${bin}:/usr/bin:/bin` };
    const code = await main(['crontab'], { env, stdout, stderr, cwd: sb.root, home: sb.home, workspaceRoot: WORKSPACE, systemTimezone: 'Etc/UTC' });
    expect(code, stderr.text).toBe(0);
    const crontab = join(sb.root, 'crontab');
    await writeFile(crontab, stdout.text);
    const lines = (await readFile(crontab, 'utf8')).split('\n');
    expect(lines).toContain(`PATH=${bin}:/usr/local/bin:/usr/bin:/bin`);
    expect(lines.some((l) => l.startsWith('# CRON_TZ is honoured by cronie') && l.includes('(Etc/UTC)'))).toBe(true);
    expect(lines.some((l) => l.includes('timedatectl set-timezone Europe/Paris'))).toBe(true);
    // As cron does: variable lines set the environment, the rest after five fields is the command, % unescaped.
    const vars: string[] = [];
    const commands: string[] = [];
    for (const l of lines) {
      if (l === '' || l.startsWith('#')) continue;
      const v = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(l);
      if (v) vars.push(`${v[1]}=${v[2]}`);
      else commands.push(l.split(/\s+/).slice(5).join(' ').replace(/\\%/g, '%'));
    }
    expect(commands).toHaveLength(2);
    // The build's farm, started by node itself: no pnpm, no TypeScript entry.
    for (const cmd of commands) expect(cmd).toMatch(/ node apps\/farm\/dist\/cli\.js run-job (digest|lead-responder) --path api >> /);
    expect(existsSync(sb.state)).toBe(false);
    for (const cmd of commands) {
      const r = spawnSync('env', ['-i', 'PATH=/usr/bin:/bin', `HOME=${sb.home}`, 'SHELL=/bin/sh', 'LOGNAME=root', ...vars, 'sh', '-c', cmd], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status, `${cmd}\n${r.stderr}`).toBe(0);
    }
    const ran = (await readFile(join(sb.state, 'farm', 'cron.log'), 'utf8')).split('\n').filter((l) => l.startsWith('{"ok"')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(ran).toEqual([
      { ok: true, args: [], hasApiKey: false, hasOauthToken: false, claudePath: 'api', reposEnv: sb.reposEnv },
      { ok: true, args: [], hasApiKey: false, hasOauthToken: false, claudePath: 'api', reposEnv: sb.reposEnv },
    ]);
    expect((await readFile(used, 'utf8')).trim().split('\n')).toEqual(['apps/farm/dist/cli.js run-job digest --path api', 'apps/farm/dist/cli.js run-job lead-responder --path api']);
  }, 120_000);

  it('schedule --dry-run lists the next runs in the zone; subscription without the opt-in is exit 78 with the terms', async () => {
    await using sb = await sandbox();
    await sb.writeEnv({ FARM_TIMEZONE: 'Europe/Paris' });
    const r = await sb.run(['schedule', '--dry-run', '--json']);
    expect(r.code, r.stderr.text).toBe(0);
    const out = JSON.parse(r.stdout.text) as { timezone: string; path: string; next: Record<string, string[]> };
    expect(out).toMatchObject({ timezone: 'Europe/Paris', path: 'api' });
    expect(out.next.digest?.every((d) => ['05:00', '17:00', '04:00', '16:00'].includes(d.slice(11, 16)))).toBe(true);
    await sb.writeEnv({ FARM_TIMEZONE: 'Europe/Paris', FARM_SCHEDULE_PATH: 'subscription' });
    const refused = await sb.run(['schedule', '--dry-run']);
    expect(refused.code).toBe(78);
    expect(refused.stderr.text).toMatch(/FARM_SCHEDULE_ALLOW_SUBSCRIPTION.*terms/);
    await sb.writeEnv({ FARM_TIMEZONE: 'Europe/Paris', FARM_SCHEDULE_PATH: 'subscription', FARM_SCHEDULE_ALLOW_SUBSCRIPTION: 'true' });
    const allowed = await sb.run(['schedule', '--dry-run']);
    expect(allowed.code, allowed.stderr.text).toBe(0);
    expect(allowed.stderr.text).toMatch(/may breach Anthropic's terms/);
  });
});
