import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The crontab lines and the units start the build's farm (apps/farm/dist/cli.js): build it
    // from the sources under test first, so no test runs a stale build.
    globalSetup: ['test/build-dist.ts'],
  },
});
