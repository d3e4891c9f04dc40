// Covers what the build's `farm status` loads: from the chunk holding src/commands/status.ts,
// every chunk reached by static imports (what Node evaluates before status runs), and from the
// jobs-file reader's chunk (loaded when there is a jobs file) the same, hold no node-cron, no
// job runner (src/jobs.ts, @jobs/claude) and no node:child_process; while the scheduler's
// chunk graph does hold node-cron (so the check finds it where it is). Read from the build's
// source maps (test/build-dist.ts builds it first).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIST = join(import.meta.dirname, '..', 'dist');
const chunks = readdirSync(DIST).filter((f) => f.endsWith('.js'));
const text = (f: string): string => readFileSync(join(DIST, f), 'utf8');
const sources = (f: string): string[] => (JSON.parse(readFileSync(join(DIST, `${f}.map`), 'utf8')) as { sources: string[] }).sources;

/** The chunk whose source map lists `source`, and that exports its code (not a re-exporting facade). */
function chunkOf(source: string): string {
  const found = chunks.filter((f) => sources(f).some((s) => s.endsWith(source)));
  expect(found, `one chunk holds ${source}`).toHaveLength(1);
  return found[0] as string;
}

/** The chunks Node evaluates when it imports `entry`: the static import closure. */
function staticClosure(entry: string): Set<string> {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  for (let f = queue.shift(); f !== undefined; f = queue.shift()) {
    // Static imports only (`import{a}from"./x.js"`, `import"./x.js"`; the build is minified), not `import("./x.js")`.
    for (const m of text(f).matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w$*{}\s,]*?\bfrom\s*)?"\.\/([^"]+\.js)"/g)) {
      const dep = m[1] as string;
      if (seen.has(dep)) continue;
      seen.add(dep);
      queue.push(dep);
    }
  }
  return seen;
}

function sourcesOf(entry: string): string[] {
  return [...staticClosure(entry)].flatMap(sources);
}

describe('the built farm status', () => {
  it('loads no node-cron, no job runner and no child_process, with or without a jobs file', () => {
    for (const entry of [chunkOf('src/commands/status.ts'), chunkOf('src/instances/jobs-file.ts')]) {
      const loaded = sourcesOf(entry);
      expect(loaded.some((s) => s.endsWith('src/status/collect.ts') || s.endsWith('src/instances/schema.ts'))).toBe(true);
      // The walk crosses chunks: zod sits in a chunk of its own.
      expect(loaded.some((s) => s.includes('/zod/'))).toBe(true);
      expect(loaded.filter((s) => s.includes('/node-cron/'))).toEqual([]);
      expect(loaded.filter((s) => s.endsWith('src/jobs.ts') || s.includes('packages/claude/'))).toEqual([]);
      expect(loaded.filter((s) => s.includes('child_process'))).toEqual([]);
    }
  });

  it('leaves node-cron to the scheduler, whose chunks hold it', () => {
    const loaded = sourcesOf(chunkOf('src/schedule.ts'));
    expect(loaded.some((s) => s.includes('/node-cron/'))).toBe(true);
  });
});
