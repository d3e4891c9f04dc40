/**
 * Per-task MCP config: only the servers the task names, in a private file passed with
 * `--mcp-config FILE --strict-mcp-config`, so the CLI loads nothing from user or project
 * settings (each MCP server costs context tokens on every turn and may run code).
 */
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeSecretFile } from '@jobs/credentials/secret-file';
import { FarmError } from '../errors.ts';

/** Writes the task's MCP file; returns its CLI args and a cleanup. No servers named: no file, no args. */
export async function prepareMcp(
  names: readonly string[],
  defined: Record<string, unknown>,
  dir: string,
  taskId: string,
): Promise<{ args: string[]; cleanup: () => Promise<void> }> {
  if (names.length === 0) return { args: [], cleanup: async () => {} };
  const servers: Record<string, unknown> = {};
  for (const name of names) {
    if (!Object.hasOwn(defined, name)) {
      throw new FarmError('ECONFIG', `the task names MCP server ${JSON.stringify(name)}, which FARM_MCP_CONFIG does not define (defined: ${Object.keys(defined).join(', ') || 'none'})`, { option: 'mcp' });
    }
    servers[name] = defined[name];
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${taskId}.mcp.json`);
  // 0600: server definitions may carry tokens in their env blocks.
  await writeSecretFile(file, `${JSON.stringify({ mcpServers: servers }, null, 2)}\n`);
  return { args: ['--mcp-config', file, '--strict-mcp-config'], cleanup: () => unlink(file).catch(() => {}) };
}
