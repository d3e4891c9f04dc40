/**
 * Who holds a lock, in terms that survive pid reuse and a recreated container: the pid, the
 * host name, the kernel's boot id (/proc/sys/kernel/random/boot_id) and the process's start
 * time (field 22 of /proc/<pid>/stat, in clock ticks since boot). A pid alone is not enough:
 * after a reboot or a crash the same number can belong to an unrelated process.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** The identity of a process as a lock file records it. */
export interface ProcessIdentity {
  readonly pid: number;
  readonly host: string;
  /** Absent where /proc is not there (not Linux). */
  readonly bootId?: string;
  /** Absent where /proc is not there, or the process is gone. */
  readonly startTime?: string;
}

/** The kernel's boot id, or undefined off Linux. */
export function readBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Field 22 (starttime) of /proc/<pid>/stat, or undefined when the process or /proc is gone. */
export function readStartTime(pid: number): string | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from its end.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

/** True when the pid exists (EPERM: it exists, owned by another user). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This process's identity (or another local pid's, for tests). */
export function processIdentity(pid: number = process.pid): ProcessIdentity {
  const bootId = readBootId();
  const startTime = readStartTime(pid);
  return { pid, host: hostname(), ...(bootId ? { bootId } : {}), ...(startTime ? { startTime } : {}) };
}

/**
 * Is the process a lock names still running? Not when it ran under another boot (a reboot, or
 * another kernel), not when it ran on another host name (a recreated container: the lock
 * folder outlived it), not when its pid is gone, and not when the pid now belongs to a process
 * that started at another time (pid reuse). Fields the lock does not record are not checked.
 */
export function holderAlive(holder: Partial<ProcessIdentity> & { pid: number }, self: ProcessIdentity): boolean {
  if (holder.bootId !== undefined && self.bootId !== undefined && holder.bootId !== self.bootId) return false;
  if (holder.host !== undefined && holder.host !== self.host) return false;
  if (!pidAlive(holder.pid)) return false;
  if (holder.startTime !== undefined) {
    const now = readStartTime(holder.pid);
    if (now !== undefined && now !== holder.startTime) return false;
  }
  return true;
}
