/**
 * The call-site audit: finds the places in shell, Python and JavaScript/TypeScript code (and
 * shell start-up files) where Claude is called in a way that can spend without bound or far
 * more than needed, and says how to fix each one.
 *
 * Rules (ids are stable; see internal/audit/rules.ts for the wording):
 * - `claude-no-max-turns` (high), `claude-no-model` (medium): headless `claude -p` use only.
 * - `claude-unbounded-loop` (high): a CLI or SDK call inside `while true` / `while :` /
 *   `until false` / `for ((;;))` / `while (true)` / `for (;;)` / `while True:`. A `break` inside
 *   does not make it bounded: the exit depends on a condition that may never hold.
 * - `opus-model`, `sdk-no-model` (medium): SDK calls (`*.messages.create`, agent SDK `query()`)
 *   and CLI calls. A model given as a variable is not guessed at.
 * - `sdk-query-no-max-turns` (high): agent SDK `query()` without a turn limit.
 * - `global-api-key-export` (high): `export ANTHROPIC_API_KEY=...` in a shell start-up file;
 *   `script-api-key-export` (medium) in any other shell script.
 *
 * It reads source text with a small lexer, not a parser: it reports what it can see, and stays
 * silent about what is built at run time (argv from a variable, options spread from elsewhere).
 */
import { open, stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { LedgerError, optionError } from './errors.ts';
import { codeCalls, codeEndlessLoops } from './internal/audit/code.ts';
import { isStartupFile, kindByName, kindByShebang, type SourceKind } from './internal/audit/kind.ts';
import { lex } from './internal/audit/lex.ts';
import { RULES, type RuleId, type Severity } from './internal/audit/rules.ts';
import { apiKeyExports, checkCliArgs, type Hit, shellCalls, shellEndlessLoops } from './internal/audit/shell.ts';
import { walkFiles } from './internal/walk.ts';

export { RULE_IDS, RULES, type Rule, type RuleId, type Severity } from './internal/audit/rules.ts';
export type { SourceKind } from './internal/audit/kind.ts';

/** One problem at one place. */
export interface Finding {
  /** Path relative to the audited root (the file name itself when a single file was audited). */
  file: string;
  /** 1-based line of the call (its first line when it spans several). */
  line: number;
  severity: Severity;
  rule: RuleId;
  message: string;
  fix: string;
  /** The line as written, trimmed to 160 characters, with any API key value hidden. */
  excerpt: string;
}

/** The result of an audit. */
export interface AuditReport {
  root: string;
  /** Files read as source. */
  filesScanned: number;
  /** Findings, by file then line. */
  findings: Finding[];
  counts: Record<Severity, number>;
}

/** Options of {@link auditTree}. */
export interface AuditOptions {
  /** Folder names never entered. Default: node_modules, .git, .hg, .svn, .venv, venv, __pycache__. */
  skipDirs?: readonly string[] | undefined;
  /** Larger files are skipped (generated or vendored code). Default 2 MB. */
  maxFileBytes?: number | undefined;
  /** Extra files to audit besides the tree (e.g. the user's ~/.bashrc), reported by absolute path. */
  extraFiles?: readonly string[] | undefined;
}

const DEFAULT_SKIP = ['node_modules', '.git', '.hg', '.svn', '.venv', 'venv', '__pycache__'];
const ORDER: Record<Severity, number> = { high: 0, medium: 1, low: 2 };

/**
 * Audits source text. `file` is used for the findings and to tell start-up files apart.
 */
export function auditSource(text: string, options: { file: string; kind: SourceKind }): Finding[] {
  const { file, kind } = options;
  const lexed = lex(text, kind);
  const hits: Hit[] = [];
  let calls: number[];
  let loops: Array<[number, number]>;
  if (kind === 'shell') {
    const cli = shellCalls(lexed);
    for (const c of cli) hits.push(...checkCliArgs(c.args, c.offset));
    calls = cli.map((c) => c.offset);
    loops = shellEndlessLoops(lexed);
    const rule: RuleId = isStartupFile(file) ? 'global-api-key-export' : 'script-api-key-export';
    for (const offset of apiKeyExports(lexed)) hits.push({ offset, rule });
  } else {
    const found = codeCalls(lexed, kind, text);
    for (const c of found) hits.push(...c.hits);
    calls = found.map((c) => c.offset);
    loops = codeEndlessLoops(lexed, kind);
  }
  for (const offset of calls) {
    if (loops.some(([from, to]) => offset > from && offset < to)) hits.push({ offset, rule: 'claude-unbounded-loop' });
  }
  const lines = text.split('\n');
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const hit of hits) {
    const line = lexed.lineOf(hit.offset);
    const id = `${line}:${hit.rule}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const rule = RULES[hit.rule];
    findings.push({ file, line, severity: rule.severity, rule: rule.id, message: rule.message, fix: rule.fix, excerpt: excerpt(lines[line - 1] ?? '') });
  }
  return findings.sort((a, b) => a.line - b.line || ORDER[a.severity] - ORDER[b.severity] || (a.rule < b.rule ? -1 : 1));
}

/** A line fit to show: trimmed, shortened, key values hidden (an excerpt must never leak a key). */
function excerpt(line: string): string {
  const hidden = line
    .replace(/(ANTHROPIC_API_KEY\s*=\s*)("[^"]*"|'[^']*'|\S+)/g, '$1…')
    .replace(/sk-ant-[\w-]+/g, 'sk-ant-…')
    .trim();
  return hidden.length > 160 ? `${hidden.slice(0, 159)}…` : hidden;
}

/** Reads a file's kind (by name, else by its `#!` line) and text; undefined when not ours. */
async function readSource(path: string, maxBytes: number): Promise<{ kind: SourceKind; text: string } | undefined> {
  let kind = kindByName(path);
  const info = await stat(path);
  if (!info.isFile() || info.size > maxBytes) return undefined;
  if (kind === undefined && /(^|\/)[^./]+$/.test(path)) {
    const fh = await open(path, 'r');
    try {
      const { buffer, bytesRead } = await fh.read(Buffer.alloc(128), 0, 128, 0);
      kind = kindByShebang(buffer.subarray(0, bytesRead).toString('utf8').split('\n')[0] ?? '');
    } finally {
      await fh.close();
    }
  }
  if (kind === undefined) return undefined;
  const fh = await open(path, 'r');
  try {
    const text = await fh.readFile('utf8');
    return text.includes('\u0000') ? undefined : { kind, text };
  } finally {
    await fh.close();
  }
}

/**
 * Audits every shell, Python and JS/TS file under `root` (a folder or one file), skipping
 * node_modules and VCS folders, never following symbolic links.
 * @throws LedgerError `EOPTION` for bad options, `EREAD` when `root` does not exist.
 */
export async function auditTree(root: string, options: AuditOptions = {}): Promise<AuditReport> {
  if (typeof root !== 'string' || root === '') throw optionError('root', root, 'a folder or file path');
  const maxBytes = options.maxFileBytes ?? 2_000_000;
  if (!Number.isFinite(maxBytes) || maxBytes <= 0) throw optionError('maxFileBytes', maxBytes, 'a positive number');
  const base = resolve(root);
  let single: boolean;
  try {
    single = (await stat(base)).isFile();
  } catch (cause) {
    throw new LedgerError('EREAD', `Nothing to audit at ${base}: check the path.`, { path: base, cause });
  }
  const findings: Finding[] = [];
  let filesScanned = 0;
  const audit = async (path: string, name: string) => {
    let source: { kind: SourceKind; text: string } | undefined;
    try {
      source = await readSource(path, maxBytes);
    } catch {
      return; // unreadable (permissions, vanished mid-walk): not a call site we can judge
    }
    if (source === undefined) return;
    filesScanned += 1;
    findings.push(...auditSource(source.text, { file: name, kind: source.kind }));
  };
  if (single) await audit(base, relative(resolve(base, '..'), base));
  else {
    const skipDirs = new Set(options.skipDirs ?? DEFAULT_SKIP);
    for await (const path of walkFiles(base, { skipDirs })) await audit(path, relative(base, path));
  }
  for (const extra of options.extraFiles ?? []) {
    try {
      await stat(extra);
    } catch {
      continue; // a start-up file the user does not have
    }
    await audit(resolve(extra), resolve(extra));
  }
  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line);
  const counts: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return { root: base, filesScanned, findings, counts };
}
