/**
 * The two forms the suite runs in: `src`, the TypeScript sources under Node's own type
 * stripping (tests, `pnpm farm` and the other root scripts), and `dist`, the JavaScript that
 * `pnpm build` (run by `pnpm install`) writes to each app's dist/ (systemd units, crontab
 * lines). A process that starts another of the suite's CLIs starts it in its own form, which
 * it reads off its own module's URL: a bundled module lives in a `.js` file.
 */

/** `src` (TypeScript sources) or `dist` (the build). */
export type RuntimeForm = 'src' | 'dist';

/** The form of the module at `moduleUrl` (pass `import.meta.url`). */
export function runtimeFormOf(moduleUrl: string): RuntimeForm {
  return /\.[cm]?ts$/.test(new URL(moduleUrl).pathname) ? 'src' : 'dist';
}

/**
 * An app's CLI entry, relative to the workspace root, in `form`:
 * `apps/farm/src/cli.ts` or `apps/farm/dist/cli.js`.
 */
export function cliEntry(appDir: string, form: RuntimeForm): string {
  return form === 'src' ? `apps/${appDir}/src/cli.ts` : `apps/${appDir}/dist/cli.js`;
}
