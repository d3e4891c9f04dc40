/**
 * Looks up system users and groups in /etc/passwd and /etc/group (Node has no getpwnam).
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';

/** A system account as dovecot's settings need it. */
export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

/** Finds `name` in /etc/passwd; undefined when there is no such user. */
export function lookupUser(name: string, passwdFile = '/etc/passwd'): SystemUser | undefined {
  let text: string;
  try {
    text = readFileSync(passwdFile, 'utf8');
  } catch {
    // No passwd file (unusual container): the caller reports the missing user.
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined) {
      return { name, uid: Number(uid), gid: Number(gid) };
    }
  }
  return undefined;
}

/** The name of group `gid` in /etc/group; undefined when it has none. */
export function lookupGroupName(gid: number, groupFile = '/etc/group'): string | undefined {
  let text: string;
  try {
    text = readFileSync(groupFile, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':');
    if (name !== undefined && name !== '' && Number(id) === gid) return name;
  }
  return undefined;
}

/** The account this process runs as. */
export function currentUser(): SystemUser {
  const info = userInfo();
  return { name: info.username, uid: info.uid, gid: info.gid };
}
