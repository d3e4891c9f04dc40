// Covers the call-site audit on a fixture tree with known good and bad call sites in shell,
// Python and JS/TS (and shell start-up files): every marked bad site is found with its rule on
// its line, nothing in a good file is flagged, node_modules and .git are skipped, extension-less
// scripts are read by their #! line, key values never reach an excerpt.
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditSource, auditTree, RULE_IDS } from '../src/audit.ts';
import { walkFiles } from '../src/internal/walk.ts';
import { tempDir } from './helpers.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'audit');

/** The findings the fixtures' `expect:` / `expect-next:` comments call for, as file:line:rule. */
async function expected(root: string): Promise<string[]> {
  const out: string[] = [];
  for await (const path of walkFiles(root, { skipDirs: new Set(['node_modules', '.git']) })) {
    const file = path.slice(root.length + 1);
    if (file === 'README.md') continue;
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines.forEach((line, i) => {
      const m = line.match(/expect(-next)?: ([\w, -]+)$/);
      if (m === null) return;
      for (const rule of (m[2] ?? '').split(',').map((r) => r.trim())) out.push(`${file}:${i + 1 + (m[1] ? 1 : 0)}:${rule}`);
    });
  }
  return out.sort();
}

async function fixtureCopy(): Promise<string> {
  const dir = await tempDir();
  await cp(FIXTURES, dir, { recursive: true });
  // Vendored and VCS folders (not committable as fixtures): full of bad calls, never read.
  await mkdir(join(dir, 'node_modules', 'evil'), { recursive: true });
  await writeFile(join(dir, 'node_modules', 'evil', 'index.js'), "require('node:child_process').spawn('claude', ['-p', 'x']);\n");
  await mkdir(join(dir, '.git', 'hooks'), { recursive: true });
  await writeFile(join(dir, '.git', 'hooks', 'post-commit'), '#!/bin/sh\nclaude -p "describe the commit"\n');
  return dir;
}

describe('auditTree on the fixture tree', () => {
  it('finds every bad call site, with its rule on its line, and flags no good one', async () => {
    const dir = await fixtureCopy();
    const report = await auditTree(dir);
    const got = report.findings.map((f) => `${f.file}:${f.line}:${f.rule}`).sort();
    const want = await expected(dir);
    expect(want.length).toBeGreaterThan(30);
    expect(got).toEqual(want);
    expect(report.findings.filter((f) => /(^|\/)good|\.zshrc$/.test(f.file))).toEqual([]);
    // Every rule is exercised by the fixtures, in each language where it applies.
    expect(new Set(want.map((w) => w.split(':')[2]))).toEqual(new Set(RULE_IDS));
    for (const dirName of ['shell/', 'python/', 'js/']) {
      expect(want.some((w) => w.startsWith(dirName) && w.endsWith('claude-unbounded-loop'))).toBe(true);
    }
    expect(report.filesScanned).toBe(17); // README.md, node_modules and .git not read
    expect(report.counts.high).toBe(report.findings.filter((f) => f.severity === 'high').length);
    expect(report.counts.high).toBeGreaterThan(0);
  });

  it('says what to fix and never shows a key value', async () => {
    const report = await auditTree(FIXTURES);
    const key = report.findings.find((f) => f.rule === 'global-api-key-export');
    expect(key).toMatchObject({ file: 'shell/dotfiles/.bashrc', line: 3, severity: 'high' });
    expect(key?.excerpt).toBe('export ANTHROPIC_API_KEY=…   # expect: global-api-key-export');
    expect(JSON.stringify(report)).not.toContain('EXAMPLE-not-a-real-key');
    const turns = report.findings.find((f) => f.rule === 'claude-no-max-turns');
    expect(turns?.fix).toMatch(/--max-turns/);
  });

  it('audits a single file, extra start-up files, and refuses a missing root', async () => {
    const one = await auditTree(join(FIXTURES, 'bin', 'nightly'));
    expect(one.findings.map((f) => [f.file, f.line, f.rule])).toEqual([['nightly', 3, 'claude-no-max-turns']]);
    const dir = await tempDir();
    const rc = join(dir, '.zshenv');
    await writeFile(rc, 'export ANTHROPIC_API_KEY=abc\n');
    const withHome = await auditTree(join(FIXTURES, 'js'), { extraFiles: [rc, join(dir, '.profile')] });
    expect(withHome.findings.filter((f) => f.file === rc).map((f) => f.rule)).toEqual(['global-api-key-export']);
    await expect(auditTree(join(dir, 'nope'))).rejects.toMatchObject({ code: 'EREAD' });
  });
});

describe('auditSource', () => {
  it('reads a call whose flags come in any order and form', () => {
    const ok = 'claude --max-turns=2 --model=claude-haiku-5-5 -p "x"\nclaude -p \'x\' --model "claude-haiku-5-5" --max-turns "2"\n';
    expect(auditSource(ok, { file: 'a.sh', kind: 'shell' })).toEqual([]);
    const bad = 'if true; then claude -p "x"; fi\n';
    expect(auditSource(bad, { file: 'a.sh', kind: 'shell' }).map((f) => f.rule)).toEqual(['claude-no-max-turns', 'claude-no-model']);
  });

  it('ends a loop body where the loop ends', () => {
    const py = 'while True:\n    step()\n    if done():\n        break\nsubprocess.run(["claude", "-p", "x", "--model", "claude-haiku-5-5", "--max-turns", "1"])\n';
    expect(auditSource(py, { file: 'a.py', kind: 'python' })).toEqual([]);
    const sh = 'while true; do\n  for f in *; do echo "$f"; done\ndone\nclaude -p x --model claude-haiku-5-5 --max-turns 1\n';
    expect(auditSource(sh, { file: 'a.sh', kind: 'shell' })).toEqual([]);
    const js = 'do {\n  step();\n} while (true);\nspawn("claude", ["-p", "x", "--model", "claude-haiku-5-5", "--max-turns", "1"]);\n';
    expect(auditSource(js, { file: 'a.js', kind: 'js' })).toEqual([]);
  });
});
