/**
 * SASL XOAUTH2 for the SMTP capture server, checked against an authorization server by
 * introspection (RFC 7662), as Gmail and Microsoft 365 check their tokens; and the filing of
 * each accepted message into a Sent folder, which both of them do for submitted mail.
 */

/** What the capture server needs to take OAuth 2 tokens. */
export interface SmtpOAuth2Options {
  /** RFC 7662 introspection of a token, e.g. `OAuthServer.introspect`. */
  introspect(token: string): Promise<Record<string, unknown>>;
  /** Introspection field that must equal the SMTP login. Default `sub`. */
  usernameAttribute?: string;
  /** Also offer PLAIN/LOGIN with the password. Default false: XOAUTH2 only. */
  passwords?: boolean;
}

/**
 * Files an accepted message before the 250 goes out, e.g.
 * `(raw) => imap.deliver('Sent', [raw], { flags: ['\\Seen'] })`. A throw turns the 250 into a 451.
 */
export type FileSent = (raw: Buffer, user: string | null) => Promise<void>;

/** The verdict on one XOAUTH2 login: the user, or the JSON error the client gets (RFC 7628 §3.2.2). */
export async function checkXOAuth2(
  o: SmtpOAuth2Options,
  username: string,
  token: string,
): Promise<{ ok: true } | { ok: false; data: { status: string; schemes: string; scope: string } }> {
  const verdict: Record<string, unknown> = await o.introspect(token).catch(() => ({ active: false }));
  const who = verdict[o.usernameAttribute ?? 'sub'];
  if (verdict.active === true && who === username) return { ok: true };
  return { ok: false, data: { status: '401', schemes: 'bearer', scope: 'smtp' } };
}

/** The SASL methods offered. */
export function smtpAuthMethods(o: SmtpOAuth2Options | undefined): string[] {
  if (o === undefined) return ['PLAIN', 'LOGIN'];
  return o.passwords === true ? ['PLAIN', 'LOGIN', 'XOAUTH2'] : ['XOAUTH2'];
}
