/**
 * Renders the dovecot.conf of a private test instance. Nothing from /etc/dovecot is read:
 * the file is complete on its own, so the system's config (and its listeners on 143/993)
 * never matter.
 */
import type { SystemUser } from './system-users.ts';

/** A mailbox created for every user with a RFC 6154 special-use flag. */
export interface SpecialUseMailbox {
  name: string;
  use: '\\Sent' | '\\Drafts' | '\\Trash' | '\\Junk' | '\\Archive' | '\\All' | '\\Flagged';
}

/** Everything the config needs; paths are absolute. */
export interface DovecotConfigParams {
  instanceName: string;
  baseDir: string;
  stateDir: string;
  logPath: string;
  host: string;
  port: number;
  passwdPath: string;
  mailRoot: string;
  homeRoot: string;
  separator: '/' | '.';
  specialUse: readonly SpecialUseMailbox[];
  /** Owner of the mail files; mail processes run as this user. */
  mailOwner: SystemUser;
  /** Unprivileged user for the login processes (dovecot refuses root). */
  loginUser: string;
  /** User for internal processes (auth, anvil, stats). */
  internalUser: string;
  /** Group of the internal services' sockets. */
  internalGroup: string;
  /** True when we are root: login processes may chroot. */
  privileged: boolean;
  debug: boolean;
  extra: string;
  /** Path of the oauth2 passdb's settings file, when tokens are taken (XOAUTH2, OAUTHBEARER). */
  oauth2ConfPath?: string | undefined;
  /** Whether PLAIN/LOGIN with the passwd-file password is offered too. Default true. */
  passwords?: boolean | undefined;
}

/** The oauth2 passdb's settings: introspection (RFC 7662) by POST, the user is the token's `sub`. */
export function renderOAuth2Config(introspectionUrl: string, usernameAttribute: string): string {
  return `# oauth2 passdb of a private test instance written by @jobs/testkit.
introspection_mode = post
introspection_url = ${introspectionUrl}
force_introspection = yes
username_attribute = ${usernameAttribute}
active_attribute = active
active_value = true
`;
}

function renderAuth(p: DovecotConfigParams): string {
  const passwords = p.passwords ?? true;
  const mechanisms = [...(passwords ? ['plain', 'login'] : []), ...(p.oauth2ConfPath === undefined ? [] : ['xoauth2', 'oauthbearer'])];
  const oauth2 =
    p.oauth2ConfPath === undefined
      ? ''
      : `passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = ${p.oauth2ConfPath}
}
`;
  // With oauth2 the passwd-file passdb serves PLAIN/LOGIN only (the userdb then allows all users).
  const only = p.oauth2ConfPath === undefined ? '' : '  mechanisms = plain login\n';
  const file = passwords
    ? `passdb {
  driver = passwd-file
${only}  args = scheme=PLAIN username_format=%n ${p.passwdPath}
}
`
    : '';
  return `auth_mechanisms = ${mechanisms.join(' ')}
${oauth2}${file}`;
}

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The text of dovecot.conf for one test instance. */
export function renderDovecotConfig(p: DovecotConfigParams): string {
  const mailboxes = p.specialUse
    .map((m) => `  mailbox ${quote(m.name)} {\n    special_use = ${m.use}\n    auto = subscribe\n  }`)
    .join('\n');
  // chroot needs root; unprivileged runs (a CI user) turn it off for the login services.
  const chroot = p.privileged ? '' : '  chroot =\n';
  return `# Private test instance written by @jobs/testkit; removed on close().
instance_name = ${p.instanceName}
base_dir = ${p.baseDir}
state_dir = ${p.stateDir}
log_path = ${p.logPath}
info_log_path = ${p.logPath}
protocols = imap
listen = ${p.host}
ssl = no
# Loopback tests run without TLS, so plaintext LOGIN / AUTH=PLAIN must be allowed.
disable_plaintext_auth = no
# A wrong password in a test should fail now, not after the default 2 s penalty.
auth_failure_delay = 0
default_login_user = ${p.loginUser}
default_internal_user = ${p.internalUser}
default_internal_group = ${p.internalGroup}
first_valid_uid = ${Math.min(p.mailOwner.uid, 500)}
first_valid_gid = ${Math.min(p.mailOwner.gid, 500)}
mail_uid = ${p.mailOwner.uid}
mail_gid = ${p.mailOwner.gid}
mail_location = maildir:${p.mailRoot}/%n
mail_home = ${p.homeRoot}/%n
# Tests may hold many connections from one address (parallel fetchers, killed children).
mail_max_userip_connections = 1000
mail_fsync = never
mail_debug = ${p.debug ? 'yes' : 'no'}
auth_debug = ${p.debug ? 'yes' : 'no'}
service imap-login {
  inet_listener imap {
    address = ${p.host}
    port = ${p.port}
  }
  inet_listener imaps {
    port = 0
  }
${chroot}}
service anvil {
${chroot}}
${renderAuth(p)}userdb {
  driver = static
  args = uid=${p.mailOwner.uid} gid=${p.mailOwner.gid}${p.oauth2ConfPath === undefined ? '' : ' allow_all_users=yes'}
}
namespace inbox {
  inbox = yes
  separator = ${p.separator}
${mailboxes}
}
${p.extra}
`;
}
