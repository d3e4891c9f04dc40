/**
 * The run report: what happened to every message looked at, the totals, and the one-line
 * summary printed at the end (or the JSON object with --json).
 */

/** What happened to one message. */
export interface Outcome {
  readonly key: string;
  readonly uid: number | null;
  readonly action:
    | 'answered'
    | 'held'
    | 'drafted'
    | 'reported'
    | 'deferred'
    /** Not answered: the day's replies to this address were used up; the owner's notice names it. */
    | 'capped'
    | 'skipped'
    | 'would-send'
    | 'would-hold'
    | 'would-report'
    | 'recovered';
  readonly reason?: string;
  readonly source?: string;
  readonly to?: string;
  readonly subject?: string;
}

/** One run (or one watch pass). */
export interface RunReport {
  readonly mode: 'send' | 'approve' | 'dry-run';
  messages: number;
  leads: number;
  answered: number;
  held: number;
  drafted: number;
  reported: number;
  deferred: number;
  /** Leads not answered because the per-sender daily cap was reached (each named to the owner). */
  capped: number;
  skipped: Record<string, number>;
  recovered: number;
  quarantined: number;
  noticesSent: number;
  /** Whether the mailbox keeps our keyword; false means the journal alone records handling. */
  keywords: boolean | null;
  usd: number;
  outcomes: Outcome[];
  /** The journal compaction at the start of the run (null: not run, e.g. --dry-run or a watch pass). */
  compaction: { compacted: boolean; before: number; after: number } | null;
  /** Set when the run stopped early: the error code and message. */
  error: { code: string; message: string } | null;
}

/** A blank report. */
export function newReport(mode: RunReport['mode']): RunReport {
  return {
    mode,
    messages: 0,
    leads: 0,
    answered: 0,
    held: 0,
    drafted: 0,
    reported: 0,
    deferred: 0,
    capped: 0,
    skipped: {},
    recovered: 0,
    quarantined: 0,
    noticesSent: 0,
    keywords: null,
    usd: 0,
    compaction: null,
    outcomes: [],
    error: null,
  };
}

/** Records an outcome and updates the totals. */
export function record(report: RunReport, outcome: Outcome): void {
  report.outcomes.push(outcome);
  switch (outcome.action) {
    case 'answered':
      report.answered++;
      break;
    case 'held':
    case 'would-hold':
      report.held++;
      break;
    case 'drafted':
      report.drafted++;
      break;
    case 'reported':
    case 'would-report':
      report.reported++;
      break;
    case 'deferred':
      report.deferred++;
      break;
    case 'capped':
      report.capped++;
      break;
    case 'skipped': {
      const r = outcome.reason ?? 'other';
      report.skipped[r] = (report.skipped[r] ?? 0) + 1;
      break;
    }
    case 'recovered':
      report.recovered++;
      break;
    case 'would-send':
      break;
  }
}

/** The summary line. */
export function summaryLine(r: RunReport): string {
  const skipped = Object.entries(r.skipped)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const wouldSend = r.outcomes.filter((o) => o.action === 'would-send').length;
  const parts = [
    `lead-responder${r.mode === 'send' ? '' : ` [${r.mode}]`}: ${r.messages} messages, ${r.leads} leads`,
    r.mode === 'dry-run' ? `${wouldSend} would be answered` : `${r.answered} answered`,
    `${r.held} held in Drafts`,
    ...(r.mode === 'approve' ? [`${r.drafted} drafted for approval`] : []),
    `${r.reported} reported to the owner`,
    `${r.deferred} deferred`,
    ...(r.capped ? [`${r.capped} not answered (daily cap per sender; ${r.mode === 'dry-run' ? 'the owner would be told' : 'the owner is told'})`] : []),
    ...(r.recovered ? [`${r.recovered} recovered`] : []),
    ...(r.compaction?.compacted ? [`journal compacted ${r.compaction.before} -> ${r.compaction.after} records`] : []),
    `skipped ${skipped || 'none'}`,
    `$${r.usd.toFixed(4)}`,
  ];
  const line = parts.join(', ');
  return r.error ? `${line}; stopped: ${r.error.code}: ${r.error.message}` : line;
}
