// Covers `cost audit`: exit 1 on a high-severity call site and 0 on a clean tree, the --json
// object (file, line, severity, rule, fix for each finding), --home adding the user's shell
// start-up files, and a missing path as a usage error.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditReport } from '@jobs/ledger/audit';
import { describe, expect, it } from 'vitest';
import { run, tempDir, testDeps } from './helpers.ts';

describe('cost audit', () => {
  it('exits 1 on a high-severity site and reports each finding', async () => {
    const home = await tempDir();
    const tree = join(home, 'scripts');
    await mkdir(join(tree, 'node_modules', 'x'), { recursive: true });
    await writeFile(join(tree, 'nightly.sh'), '#!/bin/sh\nclaude -p "summarize" --model claude-haiku-5-5\n');
    await writeFile(join(tree, 'ok.py'), 'import subprocess\nsubprocess.run(["claude", "-p", "x", "--model", "claude-haiku-5-5", "--max-turns", "2"])\n');
    await writeFile(join(tree, 'node_modules', 'x', 'a.js'), "spawn('claude', ['-p', 'x'])\n");
    const deps = testDeps(home);
    const json = await run(['audit', 'scripts', '--json'], deps);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.out) as AuditReport;
    expect(report.filesScanned).toBe(2);
    expect(report.findings).toEqual([
      expect.objectContaining({ file: 'nightly.sh', line: 2, severity: 'high', rule: 'claude-no-max-turns', fix: expect.stringContaining('--max-turns') }),
    ]);
    const text = await run(['audit', tree], deps);
    expect(text.code).toBe(1);
    expect(text.out).toContain('nightly.sh\n      2  high    claude-no-max-turns');
    expect(text.out).toContain('1 high, 0 medium, 0 low in 2 files');
  });

  it('exits 0 on a clean tree, reads start-up files with --home, refuses a missing path', async () => {
    const home = await tempDir();
    await mkdir(join(home, 'clean'));
    await writeFile(join(home, 'clean', 'a.ts'), "execFile('claude', ['-p', p, '--model', 'claude-haiku-5-5', '--max-turns', '3']);\n");
    const deps = testDeps(home);
    expect((await run(['audit', 'clean'], deps)).code).toBe(0);
    await writeFile(join(home, '.zshrc'), 'export ANTHROPIC_API_KEY=sk-ant-api03-EXAMPLE\n');
    const withHome = await run(['audit', 'clean', '--home', '--json'], deps);
    expect(withHome.code).toBe(1);
    expect((JSON.parse(withHome.out) as AuditReport).findings.map((f) => [f.file, f.rule])).toEqual([[join(home, '.zshrc'), 'global-api-key-export']]);
    expect(withHome.out).not.toContain('EXAMPLE');
    const missing = await run(['audit', 'nowhere'], deps);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('PATH');
  });
});
