/** Help texts of `mailbox` and its commands. */

export const MAIN_HELP = `Usage: pnpm mailbox <command> [options]

OAuth 2 logins for the jobs' mailboxes, and a check of what each job will connect to.

Commands:
  login <job>      Log a job's mailbox in (Google: browser; Microsoft: device code) and store its grant
  doctor [job]     Connect as repos.env says and report auth, capabilities, folders, round-trip time
  logout <job>     Revoke the grant where the provider allows, and delete it

Jobs: digest (IMAP_*, SMTP_*; also cost check --notify), lead (LEAD_IMAP_*, LEAD_SMTP_*).
Run "pnpm mailbox <command> --help" for a command's options.
`;

export const LOGIN_HELP = `Usage: pnpm mailbox login <job> [options]

Opens the provider's login for the job's mailbox and stores the grant (refresh token) under
$JOBS_STATE_DIR/oauth/<job>.json, mode 0600.
  google     prints a URL; sign in with the mailbox's account. The browser comes back to a
             loopback port on this machine. On a machine without a browser (SSH), open the URL
             anywhere, then paste here the address the browser ended on (it will not load).
  microsoft  prints a code and https://microsoft.com/devicelogin; enter the code on any device.
  generic    device code when IMAP_OAUTH_DEVICE_URL is set, else the browser flow.

Options:
  --paste            Do not wait for the loopback redirect: read the pasted address from stdin
  --timeout <s>      Give up after this many seconds (default 600)
  --env-file <path>  repos.env to read (default $REPOS_ENV, then ./repos.env)
  --json             Print the result as JSON on stdout
  -h, --help         This help

Examples:
  pnpm mailbox login digest
  pnpm mailbox login lead --paste
`;

export const DOCTOR_HELP = `Usage: pnpm mailbox doctor [job] [options]

Connects to each configured job's IMAP and SMTP server as repos.env says and reports: the
login method, IMAP capabilities (IDLE, CONDSTORE, SPECIAL-USE, X-GM-EXT-1), the Sent, Drafts
and Junk folders the job will use, whether the provider files SMTP-submitted mail into Sent by
itself, and the IMAP round-trip time. Sends no mail.

Exit: 0 all reachable, 1 a server refused or did not answer, 78 configuration (missing key,
no grant yet, unknown provider).

Options:
  --env-file <path>  repos.env to read
  --json             Print the report as JSON on stdout
  -h, --help         This help
`;

export const LOGOUT_HELP = `Usage: pnpm mailbox logout <job> [options]

Revokes the job's refresh token at the provider where it has a revocation endpoint (Google,
generic with IMAP_OAUTH_REVOKE_URL; Microsoft has none: remove the app under My Apps), then
deletes the grant file.

Options:
  --dry-run          Say what would be revoked and deleted, do nothing
  --env-file <path>  repos.env to read
  --json             Print the result as JSON on stdout
  -h, --help         This help
`;
