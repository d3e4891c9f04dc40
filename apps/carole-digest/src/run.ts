/**
 * runDigest: one digest run. Source pass -> parse -> strip quotes -> drop spam, group lists
 * and bulk -> thread -> summarize -> rank -> render -> send -> checkpoint. The checkpoint is
 * stored only after the SMTP server accepted the digest, so a failed send leaves the window
 * open and the next run includes the same mail; AM and PM runs therefore cover disjoint
 * windows with nothing missed. Empty window (decision): no digest is sent (no "nothing new"
 * mail), the checkpoint is still stored (spam-only windows move on), the outcome is `empty`.
 */
import type { ClaudeClient } from '@jobs/claude/client';
import { writeFileAtomic } from '@jobs/core/atomic-file';
import { collect } from './collect.ts';
import { DigestError } from './errors.ts';
import { type Logger, noopLogger } from '@jobs/core/logger';
import type { MailSource } from './source/types.ts';
import { buildThreads } from './threads.ts';
import type { RunReport } from './types.ts';

/** What sending needs: @jobs/mail's SmtpSender satisfies it. */
export interface DigestSender {
  send(message: {
    from: string;
    to: string;
    subject: string;
    text: string;
    html: string;
    messageId: string;
    autoSubmitted: 'auto-generated';
  }): Promise<{ messageId: string }>;
}

/** Progress callbacks (the CLI draws them on a TTY only). */
export interface Progress {
  fetching(done: number, remaining: number | undefined): void;
  summarizing(done: number, total: number): void;
  done(): void;
}

/** Injected parts of a run. */
export interface DigestDeps {
  readonly source: MailSource;
  /**
   * null: extractive summaries (no key, or --no-llm; see `noClaudeReason`). A function is
   * called only when there is mail to summarize (the CLI passes one, so a run with nothing new
   * never loads the client).
   */
  readonly claude: ClaudeClient | null | (() => Promise<ClaudeClient | null>);
  /** null only on a dry run. */
  readonly sender: DigestSender | null;
  readonly logger?: Logger;
  readonly now?: () => number;
  readonly progress?: Progress;
}

/** What a run does. */
export interface DigestOptions {
  readonly runId: string;
  /** Digest sender and the one recipient. */
  readonly from: string;
  readonly to: string;
  /** The owner's addresses (their mail counts as answered). */
  readonly ownAddresses: readonly string[];
  /** The zone the digest's dates are shown in. Default: the system's (resolved only when there is a digest to render). */
  readonly timeZone?: string | undefined;
  /** Only mail at or after this time (besides the checkpoint). */
  readonly since?: Date | undefined;
  /** On a first run (no checkpoint yet) without `since`: only mail at or after this time. */
  readonly firstRunSince?: Date | undefined;
  /** No send, no checkpoint; the HTML goes to `outPath`. */
  readonly dryRun: boolean;
  /** Where to write the HTML (required on a dry run). */
  readonly outPath?: string | undefined;
  readonly noClaudeReason?: 'no-api-key' | 'no-llm';
  readonly batch?: { readonly deadlineMs: number; readonly pollIntervalMs?: number } | undefined;
  /**
   * Characters of stripped text kept per message. Default 1 500: more than a summary prompt
   * sends of one message and than the extractive summary reads.
   */
  readonly maxMessageChars?: number;
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1) || 'localhost';
}

/** Runs one digest (see the module comment). Throws DigestError, MailError or ClaudeError ECONFIG. */
export async function runDigest(deps: DigestDeps, options: DigestOptions): Promise<RunReport> {
  const log = deps.logger ?? noopLogger;
  const now = deps.now ?? Date.now;
  const started = now();
  if (options.dryRun && !options.outPath) throw new DigestError('ECONFIG', 'a dry run needs outPath for the HTML', { option: 'outPath' });
  if (!options.dryRun && !deps.sender) throw new DigestError('ECONFIG', 'a run that sends needs a sender', { option: 'sender' });

  const run = await deps.source.open({
    since: options.since,
    firstRunSince: options.firstRunSince,
    classify: { ownAddresses: options.ownAddresses, maxMessageChars: options.maxMessageChars ?? 1500 },
  });
  try {
    const collected = await collect(run, {
      logger: log,
      ...(deps.progress ? { onProgress: deps.progress.fetching } : {}),
    });
    const threads = buildThreads(collected.messages);
    log.info(
      { source: deps.source.name, read: collected.read, messages: collected.messages.length, spam: collected.spam, quarantined: collected.quarantined.length, threads: threads.length },
      'mail collected',
    );
    const base = {
      runId: options.runId,
      source: deps.source.name,
      messagesRead: collected.read,
      threads: threads.length,
      spam: collected.spam,
      unreadableCount: collected.quarantined.length,
      unreadable: collected.quarantined,
      to: options.dryRun ? null : options.to,
    };

    if (threads.length === 0 && collected.quarantined.length === 0) {
      if (!options.dryRun) await run.commit();
      log.info({ dryRun: options.dryRun }, 'no new mail in this window: no digest sent');
      deps.progress?.done();
      return {
        ...base,
        sections: { reply: 0, fyi: 0, newsletter: 0, automated: 0 },
        inputTokens: 0,
        outputTokens: 0,
        usd: 0,
        claudeCalls: 0,
        degraded: null,
        outcome: 'empty',
        messageId: null,
        to: null,
        htmlPath: null,
        checkpointAdvanced: !options.dryRun,
        ms: now() - started,
      };
    }

    // Loaded only now: an empty window never reaches the summarizer, the renderer or the client.
    const [{ summarizeThreads }, { rankThreads, sectionCounts }, { renderDigest }] = await Promise.all([
      import('./summarize/summarize.ts'),
      import('./rank.ts'),
      import('./render/render.ts'),
    ]);
    const claude = typeof deps.claude === 'function' ? await deps.claude() : deps.claude;
    const summaries = await summarizeThreads(threads, {
      claude,
      ...(options.noClaudeReason ? { noClaudeReason: options.noClaudeReason } : {}),
      batch: options.batch,
      logger: log,
      ...(deps.progress ? { onProgress: deps.progress.summarizing } : {}),
    });
    const ranked = rankThreads(threads, summaries.byThread);
    const rendered = renderDigest({
      threads: ranked,
      messagesKept: collected.messages.length,
      spam: collected.spam,
      unreadable: collected.quarantined,
      degraded: summaries.degraded,
      now: new Date(now()),
      timeZone: options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    });
    deps.progress?.done();
    if (options.outPath) await writeHtml(options.outPath, rendered.html);

    const messageId = `<digest.${options.runId}@${domainOf(options.from)}>`;
    let sent = false;
    if (options.dryRun) {
      log.info({ to: options.to, subject: rendered.subject, htmlPath: options.outPath }, `[dry-run] would send "${rendered.subject}" to ${options.to}`);
    } else {
      try {
        await deps.sender!.send({ from: options.from, to: options.to, subject: rendered.subject, text: rendered.text, html: rendered.html, messageId, autoSubmitted: 'auto-generated' });
        sent = true;
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        throw new DigestError('ESEND', `the digest could not be sent (${String(code ?? 'error')}): the checkpoint was not moved, the next run includes the same mail`, { cause: err });
      }
      // Only now: the server has the digest.
      await run.commit();
    }
    return {
      ...base,
      sections: sectionCounts(ranked),
      inputTokens: summaries.inputTokens,
      outputTokens: summaries.outputTokens,
      usd: summaries.usd,
      claudeCalls: summaries.calls,
      degraded: summaries.degraded,
      outcome: sent ? 'sent' : 'dry-run',
      messageId: sent ? messageId : null,
      htmlPath: options.outPath ?? null,
      checkpointAdvanced: sent,
      ms: now() - started,
    };
  } finally {
    await run.close();
  }
}

/**
 * Writes the HTML through @jobs/core's writeFileAtomic: a new 0600 file beside `path`, fsynced,
 * renamed over it, the folder fsynced. An existing `--out` file does not keep its old (often
 * world-readable) mode, and the digest holds mail; a reader never sees half a digest.
 */
async function writeHtml(path: string, html: string): Promise<void> {
  try {
    await writeFileAtomic(path, html);
  } catch (err) {
    throw new DigestError('ESTATE', `could not write the HTML to ${path}: check the directory is writable`, { path, cause: err });
  }
}
