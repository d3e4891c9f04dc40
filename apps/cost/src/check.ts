/**
 * `cost check`: billed API dollars of the last 24 h against a daily budget; exit 1 when over.
 * With --notify, the owner gets one mail per calendar day: the state file records the day a
 * notice went out, written only after the SMTP server accepted it (a failed send is retried
 * by the next run). Two checks started in the same second could both send: run it from one
 * cron line.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readRuntimeEnv } from '@jobs/credentials/runtime-env';
import { loadScope } from '@jobs/credentials/scope';
import { checkDailyBudget, noticeDay, noticeDue, readNoticeState, writeNoticeState } from '@jobs/ledger/budget';
import { readLedger } from '@jobs/ledger/read';
import { MailError } from '@jobs/mail/errors';
import { notifySchema } from './config.ts';
import { type Deps, ledgerPathOf, loggerFor, pathArg, stateDirOf } from './deps.ts';
import { CostError, usageError } from './errors.ts';
import { CHECK_HELP } from './help.ts';
import { composeNotice, sendNotice } from './notice.ts';
import { noticeTokens } from './notice-tokens.ts';
import { usd } from './table.ts';
import { checkZone } from './time.ts';

/** Where the once-a-day record lives, under the state dir. */
export const NOTICE_STATE_FILE = join('cost', 'budget-notice.json');

/** What the notice step did. */
export type NoticeOutcome = 'not-requested' | 'not-needed' | 'sent' | 'already-sent-today' | 'dry-run';

/** Runs `cost check`; returns the exit code. */
export async function runCheck(argv: string[], deps: Deps): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      'daily-budget': { type: 'string' },
      notify: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      tz: { type: 'string' },
      json: { type: 'boolean' },
      ledger: { type: 'string' },
      'env-file': { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    deps.stdout.write(CHECK_HELP);
    return 0;
  }
  const raw = values['daily-budget'];
  if (raw === undefined) throw usageError('--daily-budget', raw, 'a budget in US dollars, e.g. --daily-budget 5');
  const budgetUsd = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !(budgetUsd > 0)) throw usageError('--daily-budget', raw, 'a positive number of US dollars, e.g. 5 or 2.50');
  const timeZone = checkZone('--tz', values.tz ?? deps.localTimeZone);
  const now = deps.now();

  // Configuration first: a broken repos.env fails with 78 before any mail server is contacted.
  const scope = values.notify
    ? await loadScope({
        schema: notifySchema,
        envFile: values['env-file'] === undefined ? undefined : pathArg(deps, values['env-file']),
        reposEnvVar: readRuntimeEnv(deps.env).REPOS_ENV,
        workspaceRoot: deps.workspaceRoot,
        cwd: deps.cwd,
      })
    : undefined;
  const logger = loggerFor(deps, values.verbose ?? false, scope?.redact);

  const ledgerPath = ledgerPathOf(deps, values.ledger);
  const since = new Date(now.getTime() - 86_400_000);
  const check = await checkDailyBudget(readLedger(ledgerPath, { since, logger }), { budgetUsd, now });

  let notice: NoticeOutcome = values.notify ? 'not-needed' : 'not-requested';
  let messageId: string | null = null;
  const statePath = join(stateDirOf(deps), NOTICE_STATE_FILE);
  if (check.over && scope !== undefined) {
    const day = noticeDay(now, timeZone);
    const state = await readNoticeState(statePath);
    if (!noticeDue(state, day)) {
      notice = 'already-sent-today';
      messageId = state?.messageId ?? null;
    } else {
      const message = composeNotice(check, scope.values, deps.hostname);
      if (values['dry-run']) {
        notice = 'dry-run';
        if (!values.json) deps.stdout.write(`[dry-run] would send "${message.subject}" to ${message.to as string}\n`);
      } else {
        try {
          // OAuth 2: the digest's service account or grant (the notice goes through the digest's SMTP).
          const tokens = await noticeTokens(scope.values, { envFile: scope.file, stateDir: stateDirOf(deps), now: () => deps.now().getTime() });
          messageId = await sendNotice(message, scope.values, logger, deps.now, tokens);
        } catch (cause) {
          // No grant, or a revoked one: a configuration error (78) naming `pnpm mailbox login digest`.
          if (cause instanceof MailError && cause.code === 'EGRANT') throw cause;
          logger.error({ err: cause, to: message.to }, 'the budget notice was not sent; the next check will try again');
          // Unusable SMTP settings are configuration (78); a server that failed is a failure (1).
          const code = cause instanceof MailError && cause.code === 'ECONFIG' ? 'ECONFIG' : 'ENOTIFY';
          throw new CostError(code, `The budget notice could not be sent: ${(cause as Error).message}`, { cause });
        }
        await writeNoticeState(statePath, { day, sentAt: now.toISOString(), spentUsd: check.spentUsd, budgetUsd, messageId });
        notice = 'sent';
        logger.info({ messageId, day }, 'budget notice sent');
      }
    }
  }

  if (values.json) {
    const { byApp, ...rest } = check;
    const out = { ...rest, byApp: byApp.map((g) => ({ app: g.key, billedUsd: g.billedUsd, calls: g.calls })), ledger: ledgerPath, notice, messageId };
    deps.stdout.write(`${JSON.stringify(out)}\n`);
  } else {
    const status = check.over ? 'OVER BUDGET' : 'within budget';
    const unknown = check.unknownCalls > 0 ? ` (+${check.unknownCalls} calls with unknown cost)` : '';
    deps.stdout.write(`${status}: ${usd(check.spentUsd)}${unknown} billed in the last 24 h, budget ${usd(budgetUsd)}.\n`);
    if (notice === 'sent') deps.stdout.write(`Notice sent to ${scope?.values.COST_ALERT_TO}.\n`);
    if (notice === 'already-sent-today') deps.stdout.write('Notice already sent today.\n');
  }
  return check.over ? 1 : 0;
}
