/** What the digest command needs from the process: main() takes these instead of touching `process`. */

/** A writable the CLI prints to. */
export interface Out {
  write(s: string): void;
  readonly isTTY?: boolean | undefined;
  /** Terminal width, when a TTY: progress lines are cut to fit so `\r` redraws one line. */
  readonly columns?: number | undefined;
}

/** What main needs from the process. */
export interface MainDeps {
  /**
   * The parent's environment, read through @jobs/credentials' readRuntimeEnv: REPOS_ENV,
   * JOBS_STATE_DIR, COST_LEDGER, HOME, LOG_LEVEL, and the Claude path: JOBS_CLAUDE_PATH=subscription
   * (set by `farm run-job --path subscription`) summarizes through the `claude` CLI
   * (JOBS_CLAUDE_BIN, else FARM_CLAUDE_BIN, else `claude` on PATH) on the owner's login, no API
   * key; its env is childEnv('subscription') of this one.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: Out;
  readonly stderr: Out;
  /** Where repos.env is looked for last. */
  readonly workspaceRoot: string;
  readonly cwd: string;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}
