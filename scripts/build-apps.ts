/**
 * `pnpm build` (and the last step of `pnpm install`): emits each app's CLI as JavaScript in
 * `apps/<app>/dist/`, so that systemd, cron and farm's job children start plain `.js` (no type
 * stripping, no loader). One esbuild run per app: ESM, every `@jobs/*` package and third-party
 * module bundled, split at each `await import()`, so a chunk (the SDK, imapflow, mailparser,
 * nodemailer, zod schemas) loads only when a command reaches it. The digest also gets its parse
 * worker (`dist/parse-worker.js`, found by the pool beside its own chunk).
 *
 * Usage: node scripts/build-apps.ts [APP_DIR ...]   (default: every app)
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { lazyBuiltins } from './lazy-builtins.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Each app folder under apps/ and the entry points of its dist/. */
export const APPS: Readonly<Record<string, Readonly<Record<string, string>>>> = Object.freeze({
  'carole-digest': { cli: 'src/cli.ts', 'parse-worker': 'src/parse/worker.ts' },
  'gmb-lead-responder': { cli: 'src/cli.ts' },
  farm: { cli: 'src/cli.ts' },
  cost: { cli: 'src/cli.ts' },
  mailbox: { cli: 'src/cli.ts' },
});

/**
 * Modules left to node_modules at run time, per app (each is that app's own dependency, so it
 * resolves from apps/<app>/dist): bullmq reads its Lua scripts from its own folder, and its
 * Redis client and native msgpack extension come with it.
 */
const EXTERNAL: Readonly<Record<string, readonly string[]>> = Object.freeze({ farm: ['bullmq'] });

// Bundled CommonJS (imapflow, nodemailer, mailparser, ...) calls require() for Node's own
// modules; an ES module has none, so each output file gets one.
const BANNER = "import { createRequire as __jobsCreateRequire } from 'node:module';\nconst require = __jobsCreateRequire(import.meta.url);";

/** esbuild's options for one app. */
export function optionsFor(app: string): BuildOptions {
  const entries = APPS[app];
  if (entries === undefined) throw new Error(`unknown app ${JSON.stringify(app)}: one of ${Object.keys(APPS).join(', ')}`);
  const dir = join(ROOT, 'apps', app);
  return {
    absWorkingDir: dir,
    entryPoints: Object.entries(entries).map(([out, src]) => ({ in: src, out })),
    outdir: join(dir, 'dist'),
    // Chunks sit beside cli.js: a module's import.meta.url then keeps its folder depth
    // (src/x.ts and dist/x.js are both one level under the app), which ../package.json and
    // ../sample rely on.
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22.18',
    external: [...(EXTERNAL[app] ?? [])],
    banner: { js: BANNER },
    sourcemap: 'linked',
    // Whitespace and syntax only (names stay, for stack traces and error names): V8 keeps each
    // module's source text, and less of it is less peak RSS (about 0.8 MB for farm status).
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
    metafile: true,
    plugins: [lazyBuiltins],
  };
}

/** Builds the named apps (all by default) into their dist/, emptied first. */
export async function buildApps(apps: readonly string[] = Object.keys(APPS)): Promise<void> {
  for (const app of apps) {
    const options = optionsFor(app);
    await rm(options.outdir!, { recursive: true, force: true });
    await build(options);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const apps = process.argv.slice(2);
  try {
    await buildApps(apps.length > 0 ? apps : undefined);
    process.stderr.write(`build: ${apps.length > 0 ? apps.join(', ') : 'every app'} -> apps/*/dist/ in ${Date.now() - started} ms\n`);
  } catch (err) {
    process.stderr.write(`build: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
