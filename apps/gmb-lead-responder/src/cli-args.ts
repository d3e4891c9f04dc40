/** Command-line parsing and help text of the lead responder. */
import { parseArgs } from 'node:util';

/** Parsed flags. */
export interface CliArgs {
  readonly help: boolean;
  readonly dryRun: boolean;
  readonly approve: boolean;
  readonly watch: boolean;
  readonly json: boolean;
  readonly envFile: string | undefined;
}

/** The help text. */
export const HELP = `Usage: pnpm --filter lead-responder start [--dry-run] [--approve] [--watch] [--env-file PATH] [--json]

Answers each new business lead in the mailbox once, threaded, from the business profile.

Options:
  --dry-run        print each decision and draft; send, append, flag and save nothing
  --approve        put the drafts in the Drafts folder instead of sending; mail the owner one notice
  --watch          stay connected (IMAP IDLE plus a periodic check) and answer within seconds
  --env-file PATH  the repos.env to read (default: $REPOS_ENV, then repos.env at the workspace root)
  --json           print the run summary as one JSON object on stdout
  -h, --help       show this help

Examples:
  pnpm --filter lead-responder start --dry-run
  pnpm --filter lead-responder start --approve
  pnpm --filter lead-responder start --watch --env-file /etc/jobs/repos.env

Forged notifications: a form notification (WordPress, Wix, ...) is trusted on its From header
unless repos.env names the receiving server whose Authentication-Results to trust
(LEAD_MAIL_PROVIDER=gmail|microsoft365, or LEAD_AUTHSERV_ID). Without it anyone can forge a
notice with "Email: someone@..." in its body and make the business write to that address.
With it, a notification the server did not authenticate is held for the owner, not answered.

Exit codes: 0 ok, 1 the run failed or stopped (another run holds the lock, login refused,
mailbox unreachable), 2 usage, 78 configuration (repos.env, profile or rules file).`;

/** A usage problem (exit 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses argv (without node and script). Throws UsageError. */
export function parseCli(argv: readonly string[]): CliArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        'dry-run': { type: 'boolean' },
        approve: { type: 'boolean' },
        watch: { type: 'boolean' },
        json: { type: 'boolean' },
        'env-file': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const args: CliArgs = {
    help: values.help === true,
    dryRun: values['dry-run'] === true,
    approve: values.approve === true,
    watch: values.watch === true,
    json: values.json === true,
    envFile: typeof values['env-file'] === 'string' ? values['env-file'] : undefined,
  };
  if (args.dryRun && args.approve) throw new UsageError('--dry-run and --approve exclude each other: choose one');
  if (args.envFile === '') throw new UsageError('--env-file needs a path');
  return args;
}
