// Covers imapOptionsFrom / smtpOptionsFrom: each TLS mode maps to the options that enforce it, timeouts in ms, login only when complete.
import { describe, expect, it } from 'vitest';
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
