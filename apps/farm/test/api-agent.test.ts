// Covers the API path's agent loop with the real Claude Code CLI against the simulator:
// `--agent` runs `claude --bare` with the key from childEnv('api') (sent as x-api-key, ledger
// path api, no OAuth token in the child's environ even when the parent has one), and the
// per-task MCP config: a task naming a server gets a 0600 file holding only that server and
// `--strict-mcp-config` in argv; a task naming none gets neither.
import { spawn as nodeSpawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startAnthropicSimulator } from '@jobs/testkit/anthropic-simulator';
import type { SpawnFn } from '@jobs/claude/cli-run';
import { main } from '../src/main.ts';
import { baseEnv, Capture, KEY, sandbox, type Sandbox, TOKEN } from './helpers.ts';

interface Seen {
  args: string[];
  environ: Record<string, string>;
  mcp?: { text: string; mode: number };
}

/** A real spawn that records each child's argv, its environ (/proc) and the MCP file it was given. */
function recordingSpawn(seen: Seen[]): SpawnFn {
  return (command, args, options) => {
    const child = nodeSpawn(command, args, options);
    const environ = Object.fromEntries(
      readFileSync(`/proc/${child.pid}/environ`, 'utf8')
        .split('\0')
        .filter((e) => e.includes('='))
        .map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
    );
    const s: Seen = { args: [...args], environ };
    const i = args.indexOf('--mcp-config');
    const file = i >= 0 ? args[i + 1] : undefined;
    // The file is removed when the run ends: read it while the CLI runs.
    if (file !== undefined && existsSync(file)) s.mcp = { text: readFileSync(file, 'utf8'), mode: statSync(file).mode & 0o777 };
    seen.push(s);
    return child;
  };
}

async function run(sb: Sandbox, argv: string[], prompt: string, seen: Seen[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const env = { ...sb.env, CLAUDE_CODE_OAUTH_TOKEN: TOKEN };
  const code = await main(argv, { env, stdout, stderr, stdin: prompt, cwd: sb.root, home: sb.home, workspaceRoot: sb.root, spawn: recordingSpawn(seen) });
  return { code, stdout, stderr };
}

describe('farm run --path api --agent (real CLI)', () => {
  it('runs claude --bare on the key from childEnv(api): x-api-key, ledger path api, no OAuth token in the child; no MCP file or flag', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [KEY], oauthTokens: [TOKEN] });
    await using sb = await sandbox();
    await sb.writeEnv(baseEnv(sim.url));
    sim.respond(() => ({ kind: 'reply', text: 'Refactored.' }));
    const seen: Seen[] = [];
    const r = await run(sb, ['run', '--path', 'api', '--agent', '--project', 'site', '--json'], 'Refactor the footer.', seen);
    expect(r.code, r.stderr.text).toBe(0);
    expect(r.stdout.lines()[0]).toMatchObject({ ok: true, path: 'api', outcome: 'success', text: 'Refactored.', usdKind: 'billed' });
    expect(seen).toHaveLength(1);
    const child = seen[0] as Seen;
    expect(child.args).toContain('--bare');
    expect(child.args).not.toContain('--mcp-config');
    expect(child.args).not.toContain('--strict-mcp-config');
    expect(child.environ.ANTHROPIC_API_KEY).toBe(KEY);
    expect(child.environ.CLAUDE_CODE_OAUTH_TOKEN).toBeUndefined();
    expect(Object.values(child.environ)).not.toContain(TOKEN);
    expect(child.args.join(' ')).not.toContain(KEY);
    const reqs = sim.messageRequests();
    expect(reqs.length).toBeGreaterThan(0);
    for (const q of reqs) expect(q.credential).toMatchObject({ apiKey: KEY, bearer: undefined });
    const rows = await sb.rows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ path: 'api', outcome: 'ok', job: 'site', reason: 'requested with --path api' });
  }, 60_000);

  it('a task naming an MCP server gets a private config with only that server and --strict-mcp-config', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [KEY] });
    await using sb = await sandbox();
    const mcpConfig = join(sb.root, 'mcp.json');
    // Servers that exit at once: the CLI reports them failed and goes on.
    const server = (name: string) => ({ type: 'stdio', command: process.execPath, args: ['-e', `/* ${name} */`] });
    await writeFile(mcpConfig, JSON.stringify({ mcpServers: { files: server('files'), browser: server('browser') } }));
    await sb.writeEnv(baseEnv(sim.url, { FARM_MCP_CONFIG: mcpConfig }));
    const seen: Seen[] = [];
    const r = await run(sb, ['run', '--path', 'api', '--agent', '--mcp', 'files', '--json'], 'List the files.', seen);
    expect(r.code, r.stderr.text).toBe(0);
    const child = seen[0] as Seen;
    const i = child.args.indexOf('--mcp-config');
    expect(i).toBeGreaterThanOrEqual(0);
    expect(child.args).toContain('--strict-mcp-config');
    expect(child.mcp?.mode).toBe(0o600);
    expect(JSON.parse(child.mcp?.text ?? '{}')).toEqual({ mcpServers: { files: server('files') } });
    // Removed after the run.
    expect(existsSync(child.args[i + 1] as string)).toBe(false);
  }, 60_000);
});
