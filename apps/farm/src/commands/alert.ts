/**
 * `farm alert NAME --failed` (NAME: a job, a jobs-file instance, or `schedule`, the daemon): the
 * `OnFailure=` side of the systemd units (src/alerts/unit-failed.ts). `farm alert --test` sends
 * one test notice through the configured channels.
 */
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { buildContext } from '../config.ts';
import { FarmError, isFarmError } from '../errors.ts';
import { JOBS, type JobName } from '../jobs.ts';
import { channelOf } from '../alerts/notify.ts';
import { observeDepsOf } from '../alerts/observed.ts';
import { type FailedUnit, unitFailed } from '../alerts/unit-failed.ts';
import { jobsFileOf } from '../instances/load.ts';
import { type CliDeps, loadConfig, pick } from './common.ts';

const HELP = `Usage: farm alert JOB|INSTANCE|schedule --failed [--json] [--jobs FILE] [--env-file PATH]
       farm alert --test [--env-file PATH]

--failed  records that the last run of JOB (digest, lead-responder) or of a jobs-file INSTANCE
          failed and alerts the owner (once a day per error, per job or instance); "schedule":
          the farm-schedule.service daemon itself failed (an alert, no run to record).
          For systemd's OnFailure= (see deploy/farm-alert@.service): the reason comes from
          MONITOR_SERVICE_RESULT and MONITOR_EXIT_STATUS, which systemd sets for that unit.
--test    sends a test notice by mail (ALERT_TO, SMTP_*) and to ALERT_WEBHOOK_URL.

Options:
  --json       one JSON object on stdout
  --jobs FILE  the jobs file (for an INSTANCE; default $JOBS_FILE, else jobs.json at the workspace root)
  -h, --help

Examples:
  farm alert digest --failed
  farm alert acme-digest --failed
  pnpm farm alert --test`;

/** What `NAME` names: a job, `schedule`, or an instance of the jobs file (EUSAGE otherwise). */
async function failedUnitOf(deps: CliDeps, name: string | undefined, jobsFlag: string | undefined): Promise<FailedUnit> {
  if (name === 'schedule') return 'schedule';
  if (name !== undefined && Object.hasOwn(JOBS, name)) return { job: name as JobName };
  let jobs: Awaited<ReturnType<typeof jobsFileOf>>;
  try {
    jobs = await jobsFileOf(deps, jobsFlag);
  } catch (err) {
    // The instance's unit failed on its jobs file: alert that, rather than fail here too.
    if (isFarmError(err) && err.code === 'ECONFIG' && name !== undefined && /^[a-z0-9][a-z0-9-]{0,62}$/.test(name)) return { unloadable: name, error: { code: err.code, message: err.message } };
    throw err;
  }
  const instance = jobs?.instances.find((i) => i.name === name);
  if (instance !== undefined) return { job: instance.job, instance };
  const names = [...Object.keys(JOBS), 'schedule', ...(jobs?.instances.map((i) => i.name) ?? [])];
  throw new FarmError('EUSAGE', `farm alert --failed needs one of ${names.join(' | ')}${jobs === undefined ? ' (no jobs file for instances)' : ''}, got ${JSON.stringify(name ?? '')}`, { option: 'failed' });
}

/** `farm alert`. */
export async function alertCommand(argv: string[], deps: CliDeps): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, strict: true, allowPositionals: true, options: { failed: { type: 'boolean' }, test: { type: 'boolean' }, json: { type: 'boolean' }, jobs: { type: 'string' }, 'env-file': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    deps.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (values.failed === values.test) throw new FarmError('EUSAGE', 'farm alert needs exactly one of --failed (with a job, an instance or schedule) or --test', { option: 'failed' });
  const unit = values.failed ? await failedUnitOf(deps, positionals[0], values.jobs) : undefined;
  const loaded = await loadConfig(deps, values['env-file']);
  const ctx = await buildContext(loaded.cfg, { env: deps.env, home: deps.home, logger: loaded.logger, redact: loaded.redact, ...pick(deps) });
  const watch = observeDepsOf(loaded.cfg, ctx, deps.env, 'systemd', deps.fetch);
  if (unit === undefined) {
    const channel = channelOf(watch);
    if (!channel.configured) throw new FarmError('ECONFIG', 'no alert channel: set ALERT_TO with SMTP_HOST (and SMTP_USER/SMTP_PASSWORD), or ALERT_WEBHOOK_URL, in repos.env', { option: 'ALERT_TO' });
    const domain = (loaded.cfg.ALERT_FROM ?? loaded.cfg.ALERT_TO ?? 'farm@localhost').split('@')[1] ?? 'localhost';
    const r = await channel.send({ subject: `[farm] test alert from ${hostname()}`, text: 'Failure alerts of the farm jobs reach you here.\n', messageId: `<farm-test-${Date.now()}@${domain}>`, fields: { event: 'test', host: hostname() } });
    deps.stdout.write(values.json ? `${JSON.stringify({ ok: r.delivered, mail: r.mail ?? null, webhook: r.webhook ?? null })}\n` : `mail: ${r.mail ? (r.mail.ok ? 'sent' : r.mail.error) : 'not configured'}; webhook: ${r.webhook ? (r.webhook.ok ? `HTTP ${r.webhook.status}` : r.webhook.error) : 'not configured'}\n`);
    return r.delivered ? 0 : 1;
  }
  const r = await unitFailed(watch, unit, deps.env, ctx.host);
  const [job, instance] = unit === 'schedule' ? ['schedule', null] : 'unloadable' in unit ? [null, unit.unloadable] : [unit.job, unit.instance?.name ?? null];
  const label = instance ?? job;
  if (values.json) deps.stdout.write(`${JSON.stringify({ ok: true, job, instance, ...r })}\n`);
  else if (r.action === 'already-recorded') deps.stdout.write(`${label}: its last run is already recorded as failed (${r.code ?? '?'}); nothing to do\n`);
  else deps.stdout.write(`${label}: ${r.action === 'recorded' ? 'recorded as failed' : 'failed'} (${r.code}); ${r.sent ? `alert sent (${r.channels.join(', ')})` : r.decision === 'none' ? 'already alerted today' : 'no alert sent'}\n`);
  return 0;
}
