/** Command-line options of the digest: parsing (node:util parseArgs, strict), --help, --since. */
import { parseArgs } from 'node:util';
import { DigestError } from './errors.ts';

/** Parsed flags. */
export interface DigestFlags {
  readonly envFile: string | undefined;
  readonly source: string | undefined;
  readonly since: string | undefined;
  readonly out: string | undefined;
  readonly noLlm: boolean;
  readonly batch: boolean;
  readonly json: boolean;
  readonly dryRun: boolean;
  readonly help: boolean;
}

/** The --help text. */
export const HELP = `Usage: pnpm --filter @jobs/digest start [options]

Sends one email digest of the mail that arrived since the last run: threads summarized
with Claude Haiku, ranked as needs a reply / FYI / newsletters / automated.

Options:
  --env-file PATH         repos.env to read (default: $REPOS_ENV, else repos.env at the workspace root)
  --source SOURCE         imap, or maildir:PATH (default: DIGEST_SOURCE, else maildir:~/Maildir)
  --since DURATION|ISO    only mail newer than this: 12h, 2d, 90m, or 2026-11-23T07:00:00Z
                          (besides the checkpoint; default on a first run: 24h)
  --out FILE              also write the HTML digest to FILE (a dry run writes a temp file if not given)
  --no-llm                no Claude calls: extractive summaries (the opening lines of each thread)
  --batch                 summaries through the Message Batches API (half price), waiting up to
                          DIGEST_BATCH_DEADLINE_MINUTES, then direct calls for what is left
  --json                  print the run summary as one JSON object on stdout
  --dry-run               send nothing, change no flag and no checkpoint; write the HTML to a file
  -h, --help              this text

Exit codes: 0 ok (also: no new mail), 1 failure (mail server, send), 2 usage, 78 repos.env.

Examples:
  pnpm --filter @jobs/digest start --dry-run
  pnpm --filter @jobs/digest start --source maildir:~/Mail/INBOX --since 12h --no-llm --dry-run
  pnpm --filter @jobs/digest start --batch --json
`;

/** Parses argv (without node and script); throws DigestError EUSAGE. */
export function parseFlags(argv: readonly string[]): DigestFlags {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        'env-file': { type: 'string' },
        source: { type: 'string' },
        since: { type: 'string' },
        out: { type: 'string' },
        'no-llm': { type: 'boolean', default: false },
        batch: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    throw new DigestError('EUSAGE', `${(err as Error).message}\nRun with --help for the options.`, { cause: err });
  }
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  return {
    envFile: str('env-file'),
    source: str('source'),
    since: str('since'),
    out: str('out'),
    noLlm: values['no-llm'] === true,
    batch: values.batch === true,
    json: values.json === true,
    dryRun: values['dry-run'] === true,
    help: values.help === true,
  };
}

const UNITS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `--since`: a duration back from `now` (90m, 12h, 2d, 1w) or an ISO 8601 time. */
export function parseSince(value: string, now: number): Date {
  const m = /^(\d+(?:\.\d+)?)([mhdw])$/.exec(value.trim());
  if (m) return new Date(now - Number(m[1]) * UNITS[m[2]!]!);
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const d = new Date(value);
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw new DigestError('EUSAGE', `--since must be a duration like 12h, 2d, 90m or an ISO time like 2026-11-23T07:00:00Z, got ${JSON.stringify(value)}`, { option: 'since' });
}
