// A lock taker in its own process, driven line by line on stdin: `take <path>` tries the lock
// once without waiting and answers `held`, `busy` or `error <message>`; `release` lets it go
// and answers `released`. Run with `node --import tsx`.
import { createInterface } from 'node:readline';
import { acquireLock, type HeldLock } from '../../src/lock.ts';

let lock: HeldLock | undefined;
const say = (line: string) => process.stdout.write(`${line}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  const [verb, arg] = line.split(' ');
  if (verb === 'take') {
    try {
      lock = await acquireLock({ path: arg as string, wait: false });
      say('held');
    } catch (err) {
      say((err as { code?: string }).code === 'ELOCKED' ? 'busy' : `error ${(err as Error).message}`);
    }
  } else if (verb === 'release') {
    await lock?.release();
    lock = undefined;
    say('released');
  }
}
