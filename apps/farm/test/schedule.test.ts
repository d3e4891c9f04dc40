// Covers `farm schedule`'s core with an injected clock: each job fires on time in the
// configured time zone (digest 06:00 and 18:00 Paris, lead responder every 5 minutes), a run
// that would overlap one still going is skipped; the crontab lines; the terms opt-in.
import { describe, expect, it } from 'vitest';
import { noopLogger } from '@jobs/credentials/logger';
import { createScheduler, type FireEvent } from '../src/schedule.ts';
import { sandbox } from './helpers.ts';

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
    expect(lines.some((l) => l.startsWith('0 6,18 * * * cd ') && l.includes('flock -n') && l.includes('farm run-job digest --path api'))).toBe(true);
    expect(lines.some((l) => l.startsWith('*/10 * * * * ') && l.includes('run-job lead-responder'))).toBe(true);
  });

  it('schedule --dry-run lists the next runs in the zone; subscription without the opt-in is exit 78 with the terms', async () => {
    await using sb = await sandbox();
    await sb.writeEnv({ FARM_TIMEZONE: 'Europe/Paris' });
    const r = await sb.run(['schedule', '--dry-run']);
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
