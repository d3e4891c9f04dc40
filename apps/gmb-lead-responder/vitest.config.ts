import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// @jobs/testkit does not export its dovecot harness yet (packages/testkit/src/dovecot.ts is
// committed, its `exports` entry is not): until it does, tests reach it through this alias.
// Remove the alias once "./dovecot" is in @jobs/testkit's package.json.
const dovecot = fileURLToPath(new URL('../../packages/testkit/src/dovecot.ts', import.meta.url));

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
  resolve: { alias: { '@jobs/testkit/dovecot': dovecot } },
});
