/**
 * Shell rules: `claude` run as a command (in `-p` headless use) without --max-turns or --model,
 * or with an Opus model; loops whose condition is always true; `export ANTHROPIC_API_KEY`.
 */
import type { Lexed } from './lex.ts';
import type { RuleId } from './rules.ts';

/** A raw hit: where, and which rule. */
export interface Hit {
  offset: number;
  rule: RuleId;
}

/** A `claude` command: where it starts and its arguments as written. */
export interface CliCall {
  offset: number;
  args: string;
}

// Words that may stand before the command itself: keywords, wrappers and their options.
const PREFIX = new Set([
  'then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', 'exec', 'nohup', 'time', 'command', 'builtin',
  'xargs', 'sudo', 'env', 'nice', 'timeout', 'stdbuf', 'caffeinate', 'setsid', 'ionice', 'chronic', 'flock',
]);
const SEPARATORS = new Set([';', '&', '|', '(', ')', '`', '{', '}', '\n']);
const CLAUDE = /(?<![\w./~$-])(?:[\w.~/-]*\/)?claude(?![\w.-])/g;

/** The offset where the command containing `at` ends (the next separator outside strings). */
function commandEnd(skeleton: string, at: number): number {
  for (let i = at; i < skeleton.length; i++) {
    const c = skeleton[i] as string;
    if (c === '\\' && skeleton[i + 1] === '\n') {
      i += 1;
      continue;
    }
    if (c === '\n' || c === ';' || c === '&' || c === '|' || c === ')' || c === '`') return i;
  }
  return skeleton.length;
}

/** True when the word at `at` is in command position (only prefixes and assignments before it). */
function inCommandPosition(skeleton: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0) {
    const c = skeleton[i] as string;
    if (c === '\n' && skeleton[i - 1] === '\\') {
      i -= 2;
      continue;
    }
    if (SEPARATORS.has(c)) break;
    i -= 1;
  }
  const before = skeleton.slice(i + 1, at).replace(/\\\n/g, ' ').trim();
  if (before === '') return true;
  return before.split(/\s+/).every((w) => PREFIX.has(w) || /^\w+=/.test(w) || /^-/.test(w) || /^\d+[smhd]?$/.test(w) || /^\{\}$/.test(w));
}

/** Every `claude` command in shell text. */
export function shellCalls(lexed: Lexed): CliCall[] {
  const calls: CliCall[] = [];
  for (const m of lexed.skeleton.matchAll(CLAUDE)) {
    const at = m.index;
    const after = at + m[0].length;
    if (/^\s*\(\s*\)/.test(lexed.skeleton.slice(after, after + 8))) continue; // claude() { ... }: a function
    if (/\bfunction\s+$/.test(lexed.skeleton.slice(Math.max(0, at - 12), at))) continue;
    if (!inCommandPosition(lexed.skeleton, at)) continue;
    const end = commandEnd(lexed.skeleton, after);
    calls.push({ offset: at, args: lexed.code.slice(after, end) });
  }
  return calls;
}

/**
 * Checks a `claude` command's arguments (quotes are dropped first: `"--model"` is `--model`).
 * Only headless use (`-p` / `--print`) is held to --max-turns and --model: an interactive
 * session has a person at the keyboard.
 */
export function checkCliArgs(args: string, offset: number): Hit[] {
  const plain = ` ${args.replace(/\\\n/g, ' ').replace(/["'`]/g, ' ').replace(/[,[\]]/g, ' ')} `;
  const hits: Hit[] = [];
  const model = plain.match(/\s--model(?:\s+|=)(\S+)/);
  if (model && /opus/i.test(model[1] ?? '')) hits.push({ offset, rule: 'opus-model' });
  if (!/\s(-p|--print)(?=[\s=])/.test(plain)) return hits;
  if (!/\s--max-turns(?=[\s=])/.test(plain)) hits.push({ offset, rule: 'claude-no-max-turns' });
  if (model === null) hits.push({ offset, rule: 'claude-no-model' });
  return hits;
}

/** Ranges `[start, end)` of shell loops whose condition is always true. */
export function shellEndlessLoops(lexed: Lexed): Array<[number, number]> {
  const s = lexed.skeleton;
  const header =
    /\b(?:while\s+(?:true|:|\/bin\/true|\/usr\/bin\/true|\[\s*1\s*\]|\[\[\s*1\s*\]\]|\(\(\s*1\s*\)\))|until\s+(?:false|\/bin\/false|\/usr\/bin\/false)|for\s*\(\(\s*;\s*;\s*\)\))\s*(?:;|\n)?\s*do\b/g;
  const ranges: Array<[number, number]> = [];
  for (const m of s.matchAll(header)) {
    const start = m.index;
    const bodyStart = start + m[0].length;
    const word = /\b(do|done)\b/g;
    word.lastIndex = bodyStart;
    let depth = 1;
    let end = s.length;
    for (let w = word.exec(s); w !== null; w = word.exec(s)) {
      depth += w[1] === 'do' ? 1 : -1;
      if (depth === 0) {
        end = w.index + w[0].length;
        break;
      }
    }
    ranges.push([start, end]);
  }
  return ranges;
}

/** `export ANTHROPIC_API_KEY=...` (or a bare export of it); an export that empties it is fine. */
export function apiKeyExports(lexed: Lexed): number[] {
  const found: number[] = [];
  const re = /(?:^|[;&]|\bthen|\bdo|\belse)[ \t]*(export|declare[ \t]+-x|typeset[ \t]+-x)\b[^;\n]*?\bANTHROPIC_API_KEY\b(=("[^"]*"|'[^']*'|[^\s;]*))?/gm;
  for (const m of lexed.code.matchAll(re)) {
    if (m[2] !== undefined && (m[3] ?? '').replace(/^["']|["']$/g, '') === '') continue;
    found.push(m.index + m[0].indexOf(m[1] ?? 'export'));
  }
  return found;
}
