/**
 * Python and JavaScript/TypeScript rules: Anthropic SDK calls (`*.messages.create`, agent SDK
 * `query()`) with an Opus model, without a model, or (agent SDK) without a turn limit; the
 * `claude` CLI started as a subprocess; loops whose condition is always true.
 */
import type { SourceKind } from './kind.ts';
import { type Lexed, matchClose, stringsIn } from './lex.ts';
import { type CliCall, checkCliArgs, type Hit } from './shell.ts';

/** A call to Claude found in code: where it starts, and what is wrong with it. */
export interface CodeCall {
  offset: number;
  hits: Hit[];
}

const MESSAGES = /(?:\b[\w$]+|\))\s*\.\s*messages\s*\.\s*(?:create|stream|parse)\s*\(/g;
const QUERY = /(?<![\w.$])query\s*\(/g;
const SPAWN =
  /(?<![\w$])(?:spawn|spawnSync|execFile|execFileSync|exec|execSync|execa|execaSync|execaCommand|execaCommandSync|run|call|check_call|check_output|Popen|system|popen|getoutput|getstatusoutput|create_subprocess_exec|create_subprocess_shell)\s*\(/g;
const PROGRAM = /^\s*(?:[\w.~/-]*\/)?claude(?:\s|$)/;

/** The text inside the brackets opened at `open`, in code and skeleton form; undefined if unclosed. */
function inside(lexed: Lexed, open: number): { code: string; skeleton: string; from: number; to: number } | undefined {
  const close = matchClose(lexed.skeleton, open);
  if (close === -1) return undefined;
  return { code: lexed.code.slice(open + 1, close - 1), skeleton: lexed.skeleton.slice(open + 1, close - 1), from: open, to: close };
}

/** The value of a quoted string right at the start of `text`, if there is one. */
function literalAt(text: string): string | undefined {
  const m = text.match(/^\s*(?:[rbuf]{0,2})(['"`])([^'"`]*)\1/i);
  return m?.[2];
}

/** Model and turn-limit facts of an options text (object literal or keyword arguments). */
function inspect(code: string, kind: SourceKind): { model: boolean; modelValue: string | undefined; maxTurns: boolean } {
  const sep = kind === 'python' ? '=' : ':';
  const key = new RegExp(`\\bmodel\\s*${sep}`);
  const m = key.exec(code);
  const shorthand = kind === 'js' && /(?:^|[{,])\s*model\s*(?=[,}]|$)/.test(code.trim());
  return {
    model: m !== null || shorthand,
    modelValue: m === null ? undefined : literalAt(code.slice(m.index + m[0].length)),
    maxTurns: kind === 'python' ? /\bmax_turns\s*=/.test(code) : /\bmaxTurns\b/.test(code),
  };
}

function modelHits(offset: number, facts: ReturnType<typeof inspect>): Hit[] {
  if (!facts.model) return [{ offset, rule: 'sdk-no-model' }];
  if (facts.modelValue !== undefined && /opus/i.test(facts.modelValue)) return [{ offset, rule: 'opus-model' }];
  return [];
}

/** `client.messages.create({...})` and friends. Arguments built elsewhere are not guessed at. */
function messagesCalls(lexed: Lexed, kind: SourceKind, text: string): CodeCall[] {
  if (!/anthropic/i.test(text)) return [];
  const calls: CodeCall[] = [];
  for (const m of lexed.skeleton.matchAll(MESSAGES)) {
    if (/\bthreads\s*\.\s*messages/.test(m[0])) continue; // OpenAI Assistants, not ours
    const args = inside(lexed, m.index + m[0].length - 1);
    if (args === undefined) continue;
    const offset = m.index;
    const opaque =
      kind === 'js' ? !args.skeleton.trim().startsWith('{') || args.skeleton.includes('...') : args.skeleton.includes('**') || !args.skeleton.includes('=');
    calls.push({ offset, hits: opaque ? [] : modelHits(offset, inspect(args.code, kind)) });
  }
  return calls;
}

/** The options text of an agent SDK `query()`, or undefined when it cannot be seen. */
function queryOptions(lexed: Lexed, kind: SourceKind, args: string, argsFrom: number): string | undefined {
  if (kind === 'js') {
    const m = /\boptions\s*(:\s*)?/.exec(args);
    if (m === null) return '';
    const rest = args.slice(m.index + m[0].length);
    if (m[1] !== undefined && rest.trimStart().startsWith('{')) {
      const open = argsFrom + 1 + m.index + m[0].length + (rest.length - rest.trimStart().length);
      return inside(lexed, open)?.code;
    }
    const id = m[1] === undefined ? 'options' : rest.match(/^\s*([\w$]+)/)?.[1];
    if (id === undefined) return undefined;
    const decl = new RegExp(`\\b(?:const|let|var)\\s+${id.replace('$', '\\$')}\\b[^=;]*=\\s*\\{`).exec(lexed.skeleton);
    return decl === null ? undefined : inside(lexed, decl.index + decl[0].length - 1)?.code;
  }
  const m = /\boptions\s*=\s*/.exec(args);
  if (m === null) return '';
  const rest = args.slice(m.index + m[0].length);
  const ctor = rest.match(/^Claude(?:Agent|Code)Options\s*\(/);
  if (ctor !== null) return inside(lexed, argsFrom + 1 + m.index + m[0].length + ctor[0].length - 1)?.code;
  const id = rest.match(/^([A-Za-z_]\w*)/)?.[1];
  if (id === undefined) return undefined;
  const decl = new RegExp(`\\b${id}\\s*=\\s*Claude(?:Agent|Code)Options\\s*\\(`).exec(lexed.skeleton);
  return decl === null ? undefined : inside(lexed, decl.index + decl[0].length - 1)?.code;
}

/** Agent SDK `query()` calls, in files that import the agent SDK. */
function queryCalls(lexed: Lexed, kind: SourceKind, text: string): CodeCall[] {
  const sdk =
    kind === 'js'
      ? /['"]@anthropic-ai\/claude-(?:agent-sdk|code)['"]/.test(text)
      : /\bclaude_(?:agent|code)_sdk\b/.test(text);
  if (!sdk) return [];
  const calls: CodeCall[] = [];
  for (const m of lexed.skeleton.matchAll(QUERY)) {
    if (/\b(?:def|function|async\s+function)\s+$/.test(lexed.skeleton.slice(Math.max(0, m.index - 20), m.index))) continue;
    const open = m.index + m[0].length - 1;
    const args = inside(lexed, open);
    if (args === undefined) continue;
    const options = queryOptions(lexed, kind, args.code, open);
    if (options === undefined || (kind === 'js' ? options.includes('...') : options.includes('**'))) {
      calls.push({ offset: m.index, hits: [] });
      continue;
    }
    const facts = inspect(options, kind);
    const hits = modelHits(m.index, facts);
    if (!facts.maxTurns) hits.push({ offset: m.index, rule: 'sdk-query-no-max-turns' });
    calls.push({ offset: m.index, hits });
  }
  return calls;
}

/** The `claude` CLI started from code: an argv whose program is claude, or a shell string. */
export function subprocessCalls(lexed: Lexed): CliCall[] {
  const calls: CliCall[] = [];
  for (const m of lexed.skeleton.matchAll(SPAWN)) {
    const open = m.index + m[0].length - 1;
    const close = matchClose(lexed.skeleton, open);
    if (close === -1) continue;
    const strings = stringsIn(lexed, open, close);
    const first = strings[0];
    if (first === undefined) continue;
    const program = first.value.trim();
    if (program === 'claude' || program.endsWith('/claude')) {
      calls.push({ offset: m.index, args: strings.slice(1).map((s) => s.value).join(' ') });
    } else if (PROGRAM.test(first.value)) {
      calls.push({ offset: m.index, args: [first.value.replace(PROGRAM, ' '), ...strings.slice(1).map((s) => s.value)].join(' ') });
    }
  }
  // zx / execa / Bun shell templates: $`claude -p ...`
  for (const s of lexed.strings) {
    if (lexed.code[s.start] !== '`' || !/\$\s*$/.test(lexed.code.slice(Math.max(0, s.start - 3), s.start))) continue;
    if (PROGRAM.test(s.value)) calls.push({ offset: s.start, args: s.value.replace(PROGRAM, ' ') });
  }
  return calls;
}

/** Every Claude call in Python or JS text, with its findings. */
export function codeCalls(lexed: Lexed, kind: SourceKind, text: string): CodeCall[] {
  const cli = subprocessCalls(lexed).map((c) => ({ offset: c.offset, hits: checkCliArgs(c.args, c.offset) }));
  return [...messagesCalls(lexed, kind, text), ...queryCalls(lexed, kind, text), ...cli];
}

/** Ranges `[start, end)` of loops whose condition is always true. */
export function codeEndlessLoops(lexed: Lexed, kind: SourceKind): Array<[number, number]> {
  const s = lexed.skeleton;
  const ranges: Array<[number, number]> = [];
  if (kind === 'js') {
    for (const m of s.matchAll(/\b(?:while\s*\(\s*(?:true|1|!0)\s*\)|for\s*\(\s*;\s*;\s*\))\s*\{/g)) {
      const end = matchClose(s, m.index + m[0].length - 1);
      ranges.push([m.index, end === -1 ? s.length : end]);
    }
    for (const m of s.matchAll(/\bdo\s*\{/g)) {
      const end = matchClose(s, m.index + m[0].length - 1);
      if (end !== -1 && /^\s*while\s*\(\s*(?:true|1|!0)\s*\)/.test(s.slice(end))) ranges.push([m.index, end]);
    }
    return ranges;
  }
  for (const m of s.matchAll(/^([ \t]*)(?:while\s+(?:True|1)\s*:|for\s+\w+\s+in\s+(?:itertools\.)?count\(\s*\)\s*:)/gm)) {
    const indent = (m[1] ?? '').length;
    let end = s.length;
    let pos = s.indexOf('\n', m.index);
    while (pos !== -1) {
      const lineStart = pos + 1;
      const next = s.indexOf('\n', lineStart);
      const line = s.slice(lineStart, next === -1 ? s.length : next);
      if (line.trim() !== '' && (line.match(/^[ \t]*/)?.[0].length ?? 0) <= indent) {
        end = lineStart;
        break;
      }
      pos = next;
    }
    ranges.push([m.index, end]);
  }
  return ranges;
}
