/**
 * Test-only entry for the crash test's children (bundled by child.ts): loads every module of
 * the responder, says `ready` to the parent over IPC, waits for `go`, then runs src/cli.ts
 * unchanged. The test starts the next child while the current one works, so module loading is
 * off the clock; the kill timer starts at `go`.
 */
import '../../src/main.ts';

const send = process.send?.bind(process);
if (!send) throw new Error('warm-cli.ts needs a parent with an IPC channel: start it with prewarm() of test/support/child.ts');
await new Promise<void>((resolve) => {
  process.once('message', () => resolve());
  send('ready');
});
// an open IPC channel would keep the process alive after main() returns
process.disconnect();
await import('../../src/cli.ts');
