/**
 * `farm alert JOB --failed`: the `OnFailure=` side of the systemd units. A unit that systemd
 * killed at its time limit (or whose farm process died) never reached farm's own alert step:
 * this closes its last run in the history as failed, with the reason systemd passes to the
 * OnFailure unit (MONITOR_SERVICE_RESULT, MONITOR_EXIT_STATUS), and alerts the owner under the
 * same once-a-day rule. A run farm already closed as failed is left alone (it was alerted).
 * `farm alert --test` sends one test notice through the configured channels.
 */
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { buildContext } from '../config.ts';
import { FarmError } from '../errors.ts';
import { checkJob } from '../jobs.ts';
import { historyPath, readHistory, type RunRecord } from '../history.ts';
import { channelOf } from '../alerts/notify.ts';
import { observeDepsOf } from '../alerts/observed.ts';
import { recordOutcome } from '../alerts/observe.ts';
import { type FailureReason, fixFor } from '../alerts/reason.ts';
import { type CliDeps, loadConfig, pick } from './common.ts';

const HELP = `Usage: farm alert JOB --failed [--json] [--env-file PATH]
       farm alert --test [--env-file PATH]

--failed  records that JOB's last run failed and alerts the owner (once a day per error).
          For systemd's OnFailure= (see deploy/farm-alert@.service): the reason comes from
          MONITOR_SERVICE_RESULT and MONITOR_EXIT_STATUS, which systemd sets for that unit.
--test    sends a test notice by mail (ALERT_TO, SMTP_*) and to ALERT_WEBHOOK_URL.

Options:
  --json      one JSON object on stdout
  -h, --help

Examples:
  farm alert digest --failed
  pnpm farm alert --test`;

/** The reason systemd gives for a failed unit. */
export function monitorReason(env: Readonly<Record<string, string | undefined>>): { exitCode: number | null; reason: FailureReason } {
  const result = env.MONITOR_SERVICE_RESULT ?? 'unknown';
  const status = env.MONITOR_EXIT_STATUS ?? '';
  const exitCode = /^\d+$/.test(status) ? Number(status) : null;
  if (result === 'timeout') return { exitCode, reason: { code: 'ETIMEOUT_KILLED', message: 'killed by systemd at its time limit (TimeoutStartSec)', fix: fixFor('ETIMEOUT_KILLED') } };
  if (result === 'signal' || result === 'core-dump' || result === 'watchdog' || result === 'oom-kill') {
    return { exitCode, reason: { code: 'EKILLED', message: `killed (${result}${status ? ` ${status}` : ''})`, fix: fixFor('EKILLED') } };
  }
  const code = exitCode !== null ? `EXIT_${exitCode}` : 'EXIT_UNKNOWN';
  return { exitCode, reason: { code, message: `the unit failed (${result}${status ? `, status ${status}` : ''})`, fix: fixFor(code) } };
}

/** `farm alert`. */
export async function alertCommand(argv: string[], deps: CliDeps): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, strict: true, allowPositionals: true, options: { failed: { type: 'boolean' }, test: { type: 'boolean' }, json: { type: 'boolean' }, 'env-file': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    deps.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (values.failed === values.test) throw new FarmError('EUSAGE', 'farm alert needs exactly one of --failed (with a job) or --test', { option: 'failed' });
  const job = values.failed ? checkJob(positionals[0]) : undefined;
  const loaded = await loadConfig(deps, values['env-file']);
  const ctx = await buildContext(loaded.cfg, { env: deps.env, home: deps.home, logger: loaded.logger, redact: loaded.redact, ...pick(deps) });
  const watch = observeDepsOf(loaded.cfg, ctx, deps.env, 'systemd', deps.fetch);
  if (job === undefined) {
    const channel = channelOf(watch);
    if (!channel.configured) throw new FarmError('ECONFIG', 'no alert channel: set ALERT_TO with SMTP_HOST (and SMTP_USER/SMTP_PASSWORD), or ALERT_WEBHOOK_URL, in repos.env', { option: 'ALERT_TO' });
    const domain = (loaded.cfg.ALERT_FROM ?? loaded.cfg.ALERT_TO ?? 'farm@localhost').split('@')[1] ?? 'localhost';
    const r = await channel.send({ subject: `[farm] test alert from ${hostname()}`, text: 'Failure alerts of the farm jobs reach you here.\n', messageId: `<farm-test-${Date.now()}@${domain}>`, fields: { event: 'test', host: hostname() } });
    deps.stdout.write(values.json ? `${JSON.stringify({ ok: r.delivered, mail: r.mail ?? null, webhook: r.webhook ?? null })}\n` : `mail: ${r.mail ? (r.mail.ok ? 'sent' : r.mail.error) : 'not configured'}; webhook: ${r.webhook ? (r.webhook.ok ? `HTTP ${r.webhook.status}` : r.webhook.error) : 'not configured'}\n`);
    return r.delivered ? 0 : 1;
  }
  const runs = await readHistory(historyPath(ctx.farmDir, job));
  const last = runs.at(-1);
  if (last?.outcome === 'failed') {
    deps.stdout.write(values.json ? `${JSON.stringify({ ok: true, job, action: 'already-recorded', code: last.code ?? null })}\n` : `${job}: its last run is already recorded as failed (${last.code ?? '?'}); nothing to do\n`);
    return 0;
  }
  const { exitCode, reason } = monitorReason(deps.env);
  // The killed run left a `running` record; a unit that failed before farm recorded anything gets one now.
  const rec: RunRecord = last?.outcome === 'running' ? last : { id: `unit-${ctx.now()}`, job, trigger: 'systemd', startedAt: new Date(ctx.now()).toISOString(), outcome: 'running', pid: 0, host: ctx.host };
  const r = await recordOutcome(watch, rec, exitCode, reason);
  deps.stdout.write(values.json ? `${JSON.stringify({ ok: true, job, action: 'recorded', code: reason.code, decision: r.decision, sent: r.sent, channels: r.channels })}\n` : `${job}: recorded as failed (${reason.code}); ${r.sent ? `alert sent (${r.channels.join(', ')})` : r.decision === 'none' ? 'already alerted today' : 'no alert sent'}\n`);
  return 0;
}
