/**
 * esbuild plugin for the build (build-apps.ts): an import of one of Node's own modules
 * (`import { readFile } from 'node:fs/promises'`) becomes `process.getBuiltinModule(...)` and a
 * read of each name used. An ES import of a builtin builds its whole namespace, which runs every
 * lazy getter of the module (node:fs loads fs/promises, streams, readline and the file watchers;
 * node:util loads worker_threads): about 5 MB of peak RSS for a command that uses one function
 * of each. esbuild drops the names a bundle does not use, so only those are read. Our own
 * sources only (named imports); a package's imports stay as they are.
 */
import { builtinModules, createRequire } from 'node:module';
import type { Plugin } from 'esbuild';

const require = createRequire(import.meta.url);
const NAMESPACE = 'jobs-builtin';
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The module text standing for builtin `name`: its default export and each named export. */
function moduleText(name: string): string {
  const id = JSON.stringify(`node:${name}`);
  const names = Object.keys(require(`node:${name}`) as object).filter((k) => IDENTIFIER.test(k) && k !== 'default');
  // Each read is marked pure so that esbuild drops the names nothing imports.
  return [`const m = process.getBuiltinModule(${id});`, 'export default m;', ...names.map((k) => `export const ${k} = /* @__PURE__ */ (() => m.${k})();`)].join('\n');
}

/** The plugin. */
export const lazyBuiltins: Plugin = {
  name: 'lazy-builtins',
  setup(build) {
    build.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      // Only the workspace's own static imports, which name what they use: `await import()`
      // returns the whole namespace, and a package's `import * as fs` would keep every name
      // (each read at load); those, and bundled CommonJS's require(), keep Node's own loader.
      if (args.kind !== 'import-statement' || args.importer.includes('/node_modules/')) return undefined;
      return builtinModules.includes(name) ? { path: name, namespace: NAMESPACE } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({ contents: moduleText(args.path), loader: 'js' }));
  },
};
