// `farm schedule` under a test's clock: starts the daemon with an injected scheduler clock and
// returns `fireAt(iso)`, which moves the clock, fires the due jobs and waits until they are
// done, and `stop()`, which ends the daemon and resolves to its exit code.
import { main } from '../src/main.ts';

type MainDeps = Parameters<typeof main>[1];

/** A running `farm schedule` driven by hand. */
export interface DrivenSchedule {
  /** The driven clock, for the test's other commands. */
  now(): number;
  fireAt(iso: string): Promise<void>;
  stop(): Promise<number>;
}

/** Starts `farm schedule ARGS` with `deps` (its `now` is replaced by the driven clock, starting at `startIso`). */
export async function driveSchedule(args: string[], deps: Omit<MainDeps, 'now' | 'stopSignal' | 'scheduleClock'>, startIso: string): Promise<DrivenSchedule> {
  let clock = Date.parse(startIso);
  let drive: { tick: (at: Date) => void; idle: () => Promise<void> } | undefined;
  let end = (): void => {};
  const stopSignal = new Promise<void>((r) => {
    end = r;
  });
  const done = main(['schedule', ...args], { ...deps, now: () => clock, stopSignal, scheduleClock: (tick, idle) => (drive = { tick, idle }) });
  while (drive === undefined) await new Promise((r) => setTimeout(r, 20));
  return {
    now: () => clock,
    async fireAt(iso) {
      clock = Date.parse(iso);
      drive?.tick(new Date(clock));
      await drive?.idle();
    },
    stop() {
      end();
      return done;
    },
  };
}
