// Covers imapOptionsFrom / smtpOptionsFrom, the one settings-to-options mapping: each TLS mode maps to the options that enforce it, timeouts in ms, a login (password or token source) only when complete.
import { describe, expect, it } from 'vitest';
import { fixedTokenSource } from '../src/auth/token-source.ts';
import { imapOptionsFrom, smtpOptionsFrom } from '../src/transport-settings.ts';

const base = { host: 'imap.example.com', user: 'u', password: 'p', timeoutSeconds: 30 };

describe('imapOptionsFrom', () => {
  it('maps tls, starttls (required) and none (said on purpose)', () => {
    expect(imapOptionsFrom({ ...base, tls: 'tls' })).toMatchObject({ secure: true, connectionTimeoutMs: 30_000, lockTimeoutMs: 30_000 });
    expect(imapOptionsFrom({ ...base, tls: 'tls' })).not.toHaveProperty('requireStartTls');
    expect(imapOptionsFrom({ ...base, tls: 'starttls', port: 143 })).toMatchObject({ secure: false, requireStartTls: true, port: 143 });
    expect(imapOptionsFrom({ ...base, tls: 'none' }, { mailbox: 'Leads' })).toMatchObject({ secure: false, requireStartTls: false, mailbox: 'Leads' });
  });
});

describe('smtpOptionsFrom', () => {
  it('requires STARTTLS unless told otherwise and logs in only with both user and password', () => {
    expect(smtpOptionsFrom({ host: 'smtp.example.com', tls: 'starttls', timeoutSeconds: 10 })).toEqual({
      host: 'smtp.example.com',
      secure: false,
      requireTls: true,
      connectionTimeoutMs: 10_000,
      greetingTimeoutMs: 10_000,
      socketTimeoutMs: 10_000,
    });
    expect(smtpOptionsFrom({ host: 'h', tls: 'tls', user: 'u', timeoutSeconds: 10 })).not.toHaveProperty('user');
    expect(smtpOptionsFrom({ host: 'h', tls: 'tls', user: 'u', password: 'p', port: 465, timeoutSeconds: 10 })).toMatchObject({ secure: true, requireTls: false, user: 'u', password: 'p', port: 465 });
  });
});

describe('one mapping for password and token logins', () => {
  const tokens = fixedTokenSource('at-1');
  it('passes a token source through to both clients, and it wins over a password', () => {
    const imap = imapOptionsFrom({ host: 'imap.example.com', tls: 'tls', user: 'u', tokens, password: 'p', timeoutSeconds: 5 });
    expect(imap.tokens).toBe(tokens);
    expect(imap).not.toHaveProperty('password');
    const smtp = smtpOptionsFrom({ host: 'smtp.example.com', tls: 'starttls', user: 'u', tokens, timeoutSeconds: 5 });
    expect(smtp).toMatchObject({ user: 'u', requireTls: true, secure: false });
    expect(smtp.tokens).toBe(tokens);
    expect(smtpOptionsFrom({ host: 'h', tls: 'tls', tokens, timeoutSeconds: 5 })).not.toHaveProperty('tokens');
  });
});
