// Covers the jobs file: a bad file is exit 78 naming the line and the field (syntax, a wrong
// value, a missing field, an unknown key, a duplicate name, the subscription without its
// opt-in); `farm run-job INSTANCE` gives the job the instance's repos.env, state folder, budget
// and the shared ledger, and its ledger row carries the instance; crontab and schedule
// --dry-run list every instance; without a jobs file, nothing changes.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { main } from '../src/main.ts';
import { APP_DIR, Capture, sandbox, type Sandbox, WORKSPACE } from './helpers.ts';

const JOB = join(APP_DIR, 'test/fixtures/instance-job.ts');

async function jobsFile(sb: Sandbox, text: string): Promise<string> {
  const file = join(sb.root, 'jobs.json');
  await writeFile(file, text);
  return file;
}

const GOOD = `{
  "instances": [
    { "name": "acme", "job": "digest", "reposEnv": "acme.env", "budgetUsd": 0.2,
      "schedule": { "cron": "0 7 * * *", "timezone": "Europe/Paris" } },
    { "name": "bolt", "job": "lead-responder", "reposEnv": "bolt.env" }
  ]
}
`;

describe('jobs file', () => {
  it.each([
    ['a syntax error', '{\n  "instances": [\n    { "name": "a", "job": "digest" "reposEnv": "x.env" }\n  ]\n}\n', /line 3: not valid JSON\/YAML/],
    ['a wrong job', '{\n  "instances": [\n    { "name": "a", "job": "digest", "reposEnv": "x.env" },\n    { "name": "b",\n      "job": "digets", "reposEnv": "y.env" }\n  ]\n}\n', /line 5: instances\[1\]\.job: /],
    ['a missing field', '{\n  "instances": [\n    { "name": "a",\n      "job": "digest" }\n  ]\n}\n', /line 3: instances\[0\]\.reposEnv: /],
    ['an unknown key', '{\n  "instances": [\n    { "name": "a", "job": "digest", "reposEnv": "x.env",\n      "budget": 1 }\n  ]\n}\n', /line 4: instances\[0\]\.budget: /],
    ['a bad name', '{\n  "instances": [\n    { "name": "Acme Co", "job": "digest", "reposEnv": "x.env" }\n  ]\n}\n', /line 3: instances\[0\]\.name: lower-case/],
    ['the name schedule', '{\n  "instances": [\n    { "name": "schedule", "job": "digest", "reposEnv": "x.env" }\n  ]\n}\n', /line 3: instances\[0\]\.name: "schedule" cannot name an instance/],
    ['a duplicate name', '{\n  "instances": [\n    { "name": "a", "job": "digest", "reposEnv": "x.env" },\n    { "name": "a", "job": "digest", "reposEnv": "y.env" }\n  ]\n}\n', /line 4: instances\[1\]\.name: "a" is already/],
    ['the subscription without its opt-in', '{\n  "instances": [\n    { "name": "a", "job": "digest", "reposEnv": "x.env",\n      "path": "subscription" }\n  ]\n}\n', /line 4: instances\[0\]\.path: subscription needs "allowSubscription": true/],
    ['a YAML file with a bad cron', 'instances:\n  - name: a\n    job: digest\n    reposEnv: x.env\n    schedule:\n      cron: "61 * * * *"\n', /line 6: instances\[0\]\.schedule\.cron: /],
  ])('%s: exit 78 naming the line and the field', async (_what, text, message) => {
    await using sb = await sandbox();
    await sb.writeEnv({});
    const file = await jobsFile(sb, text);
    const r = await sb.run(['run-job', 'a', '--jobs', file]);
    expect(r.code, r.stderr.text).toBe(78);
    expect(r.stderr.text).toContain(`jobs file ${file} line`);
    expect(r.stderr.text).toMatch(message);
  });

  it('run-job INSTANCE: its repos.env, its state folder, its budget, the shared ledger; the row carries the instance', async () => {
    await using sb = await sandbox();
    await sb.writeEnv({ FARM_JOB_DIGEST_SCRIPT: JOB });
    await writeFile(join(sb.root, 'acme.env'), 'HOLD_MS=0\n', { mode: 0o600 });
    const file = await jobsFile(sb, GOOD);
    // The job's CLI resolves from the real workspace; the jobs file comes from $JOBS_FILE.
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await main(['run-job', 'acme', '--json'], { env: { ...sb.env, JOBS_FILE: file }, stdout, stderr, stdin: Readable.from(['']), cwd: sb.root, home: sb.home, workspaceRoot: WORKSPACE });
    const r = { code, stdout, stderr };
    expect(r.code, r.stderr.text).toBe(0);
    const out = r.stdout.lines()[0];
    expect(out).toMatchObject({ ok: true, instance: 'acme', job: 'digest', path: 'api' });
    expect(out?.jobSummary).toEqual({ ok: true, instance: 'acme', stateDir: join(sb.state, 'instances', 'acme'), reposEnv: join(sb.root, 'acme.env'), costLedger: sb.ledger, budget: '0.2' });
    const rows = await sb.rows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ call_site: 'farm.run-job', job: 'digest', instance: 'acme', outcome: 'ok' });
    const unknown = await sb.run(['run-job', 'nope', '--jobs', file]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.text).toMatch(/digest \| lead-responder \| acme \| bolt/);
  }, 30_000);

  it('crontab: one flock-guarded line per instance, CRON_TZ before an instance in another zone; schedule --dry-run lists them', async () => {
    await using sb = await sandbox();
    await sb.writeEnv({ FARM_TIMEZONE: 'UTC' });
    // Found at the workspace root without --jobs.
    const file = await jobsFile(sb, GOOD);
    const r = await sb.run(['crontab']);
    expect(r.code, r.stderr.text).toBe(0);
    const lines = r.stdout.text.split('\n');
    const acme = lines.findIndex((l) => l.startsWith('0 7 * * * '));
    expect(lines[acme - 1]).toBe('CRON_TZ=Europe/Paris');
    expect(lines[acme]).toContain(`flock -n ${join(sb.state, 'farm', 'cron-acme.lock')} node apps/farm/dist/cli.js run-job acme --jobs ${file} >>`);
    const bolt = lines.findIndex((l) => l.startsWith('*/5 * * * * '));
    expect(lines[bolt - 1]).toBe('CRON_TZ=UTC');
    expect(lines[bolt]).toContain(' node apps/farm/dist/cli.js run-job bolt --jobs ');
    const d = await sb.run(['schedule', '--dry-run']);
    expect(d.code, d.stderr.text).toBe(0);
    const plan = d.stdout.lines()[0] as { runs: string; next: Record<string, string[]> };
    expect(plan.runs).toBe('here');
    expect(plan.next.acme?.[0]).toMatch(/T06:00:00\.000Z$/);
    expect(Object.keys(plan.next)).toEqual(['acme', 'bolt']);
  }, 30_000);
});
