/** Help texts: Usage, Options, Examples for each command. */

export const MAIN_HELP = `Usage: pnpm cost <command> [options]

Where the Claude money goes, and keeping it from running away.

Commands:
  report   spend per app, job, model, day, path or call site (terminal, --json, --html)
  check    exit 1 when the last 24 h of billed API spend crossed a daily budget; --notify mails the owner once a day
  audit    find Claude call sites that can run away (no --max-turns, no model, endless loops, Opus, exported keys)

Run "pnpm cost <command> --help" for its options.
Exit codes: 0 ok, 1 failure (or: over budget, high-severity finding), 2 usage, 78 configuration.
`;

export const REPORT_HELP = `Usage: pnpm cost report [options]

Sums the cost ledger (and Claude Code's own session logs) over a range, grouped one way.
Billed API dollars and subscription work at API prices are separate columns, never added.

Options:
  --since WHEN         start: 7d (7 calendar days including today), 36h, 2026-11-01, or an ISO time (default 7d)
  --until WHEN         end, exclusive, same forms (default now; a date means that day's midnight)
  --by FIELD           app | job | model | day | path | call_site | instance (default app)
  --tz ZONE            time zone for days and dates (default this machine's)
  --json               print one JSON object (the summary) instead of the table
  --html FILE          also write a self-contained HTML page (charts per day, tables per model/app/call site)
  --ledger PATH        ledger file (default $COST_LEDGER, else $JOBS_STATE_DIR/ledger.jsonl)
  --claude-logs DIR    Claude Code session logs (default ~/.claude/projects)
  --no-claude-logs     leave Claude Code's logs out
  --verbose            debug logs on stderr
  -h, --help           this help

Examples:
  pnpm cost report
  pnpm cost report --since 30d --by model --html /tmp/spend.html
  pnpm cost report --since 2026-11-01 --until 2026-12-01 --by call_site --json
`;

export const CHECK_HELP = `Usage: pnpm cost check --daily-budget USD [options]

Sums billed API dollars (api and remote paths) of the last 24 hours and exits 1 when they are
over the budget. Subscription work is not money and never counts.

Options:
  --daily-budget USD   the budget, in US dollars (required)
  --notify             when over, mail the owner, at most once per calendar day
                       (repos.env: SMTP_HOST, SMTP_PORT, SMTP_TLS, SMTP_USER,
                       SMTP_PASSWORD, COST_ALERT_TO, COST_ALERT_FROM)
  --dry-run            with --notify: say what would be sent, send nothing, record nothing
  --tz ZONE            zone whose calendar day "once per day" means (default this machine's)
  --json               print one JSON object
  --ledger PATH        ledger file (default $COST_LEDGER, else $JOBS_STATE_DIR/ledger.jsonl)
  --env-file PATH      repos.env to read (default $REPOS_ENV, else repos.env at the workspace root)
  --verbose            debug logs on stderr
  -h, --help           this help

Examples:
  pnpm cost check --daily-budget 5
  */15 * * * *  cd /srv/jobs && pnpm --silent cost check --daily-budget 5 --notify
`;

export const AUDIT_HELP = `Usage: pnpm cost audit [PATH] [options]

Scans shell (.sh .bash .zsh, start-up files, #! scripts), Python and JavaScript/TypeScript files
under PATH (default: the current folder; node_modules and .git skipped) for Claude call sites that
can run away: claude -p without --max-turns or --model, claude in an endless loop, SDK calls on an
Opus model or with no model, agent SDK query() without maxTurns, an exported ANTHROPIC_API_KEY.
Exits 1 when a high-severity site is found.

Options:
  --home               also scan your shell start-up files (~/.bashrc, ~/.zshrc, ~/.profile, ...)
  --json               print one JSON object (every finding with file, line, severity, rule, fix)
  -h, --help           this help

Examples:
  pnpm cost audit
  pnpm cost audit ~/scripts --home --json
`;
