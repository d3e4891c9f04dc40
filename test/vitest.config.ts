import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // e2e/built-cli.test.ts runs the apps' dist/: build them from the sources under test first.
    globalSetup: ['e2e/build-dist.ts'],
  },
});
