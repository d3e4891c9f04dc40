/**
 * Finds what a private dovecot needs on this machine: the binaries, and the system users
 * its processes run as (as root, dovecot refuses to run login processes as root).
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { TestkitError } from '../errors.ts';
import { runDoveadm } from './doveadm.ts';
import { currentUser, lookupGroupName, lookupUser, type SystemUser } from './system-users.ts';

/** Binaries and accounts for one instance. */
export interface DovecotSetup {
  binary: string;
  doveadm(configPath: string, args: readonly string[]): Promise<string>;
  /** Owns the mail files; mail processes run as it. */
  mailOwner: SystemUser;
  /** default_internal_user (auth, anvil, stats). */
  internal: SystemUser;
  /** default_internal_group: the group of the internal services' sockets. */
  internalGroup: string;
  /** default_login_user (imap-login). */
  loginUser: string;
  /** We are root (dovecot may setuid and chroot). */
  privileged: boolean;
}

const INSTALL_HINT = 'run `apt-get install dovecot-imapd` (Debian/Ubuntu; it brings dovecot-core and doveadm)';

async function executable(path: string, what: string): Promise<void> {
  try {
    await access(path, constants.X_OK);
  } catch (cause) {
    throw new TestkitError('EDOVECOT_MISSING', `${what} not found at ${path}: ${INSTALL_HINT}`, { cause });
  }
}

/** Checks the binaries and picks the users; throws EDOVECOT_MISSING with the apt-get line. */
export async function resolveDovecotSetup(binary: string, doveadmBinary: string): Promise<DovecotSetup> {
  await executable(binary, 'dovecot');
  await executable(doveadmBinary, 'doveadm');
  const doveadm = (configPath: string, args: readonly string[]): Promise<string> =>
    runDoveadm(doveadmBinary, configPath, args);
  if (process.getuid?.() !== 0) {
    // Unprivileged (a CI user): every process runs as us, which dovecot allows when it
    // cannot switch users anyway.
    // Its sockets must then belong to our own group: chown to "dovecot" is not allowed.
    const me = currentUser();
    const group = lookupGroupName(me.gid) ?? String(me.gid);
    return { binary, doveadm, mailOwner: me, internal: me, internalGroup: group, loginUser: me.name, privileged: false };
  }
  // The Debian package creates both accounts; without them the install is broken.
  const internal = lookupUser('dovecot');
  const login = lookupUser('dovenull');
  if (internal === undefined || login === undefined) {
    throw new TestkitError(
      'EDOVECOT_MISSING',
      `the system users "dovecot" and "dovenull" are missing: ${INSTALL_HINT} (reinstall dovecot-core if it is installed)`,
    );
  }
  const internalGroup = lookupGroupName(internal.gid) ?? 'dovecot';
  return { binary, doveadm, mailOwner: internal, internal, internalGroup, loginUser: login.name, privileged: true };
}
