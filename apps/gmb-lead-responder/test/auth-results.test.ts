// Covers the trust in Authentication-Results: only the configured receiving server's header counts, and only for DKIM, SPF or DMARC aligned with the notification's From domain; Microsoft 365's id-less topmost header.
import { describe, expect, it } from 'vitest';
import { AUTHSERV_PRESETS, authenticated } from '../src/auth-results.ts';

const gmail = AUTHSERV_PRESETS.gmail!;
const ms = AUTHSERV_PRESETS.microsoft365!;
const FROM = 'wix.example';

describe('authenticated', () => {
  it.each([
    ['DKIM pass for the From domain', ['mx.google.com; dkim=pass header.i=@wix.example header.s=s1 header.b=abc; spf=fail']],
    ['DKIM pass for a parent domain', ['mx.google.com; dkim=pass (good signature) header.d=mail.wix.example']],
    ['SPF pass for an aligned envelope sender', ['mx.google.com; spf=pass (google.com: domain of bounce@wix.example designates 1.2.3.4) smtp.mailfrom=bounce@wix.example']],
    ['DMARC pass for From', ['mx.google.com; dmarc=pass (p=REJECT) header.from=wix.example']],
    ['a version after the id', ['mx.google.com 1; dkim=pass header.d=wix.example']],
  ])('trusts %s from mx.google.com', (_what, headers) => {
    expect(authenticated(headers, FROM, gmail)).toBe(true);
  });

  it.each([
    ['no header at all', []],
    ['another server id', ['evil.example; dkim=pass header.d=wix.example']],
    ['DKIM pass for another domain', ['mx.google.com; dkim=pass header.d=evil.example']],
    ['DKIM fail', ['mx.google.com; dkim=fail header.d=wix.example']],
    ['SPF pass for an unaligned sender', ['mx.google.com; spf=pass smtp.mailfrom=bounce@evil.example']],
    ['a pass hidden in a comment', ['mx.google.com; dkim=none (dkim=pass header.d=wix.example)']],
    ['a forged pass below the trusted header', ['mx.google.com; dkim=fail header.d=wix.example', 'mx.google.com; dkim=pass header.d=wix.example']],
    ['a look-alike id', ['mx.google.com.evil.example; dkim=pass header.d=wix.example']],
  ])('refuses %s', (_what, headers) => {
    expect(authenticated(headers, FROM, gmail)).toBe(false);
  });

  it('Microsoft 365: reads the topmost header, which has no id, and only that one', () => {
    const ours = 'spf=pass (sender IP is 1.2.3.4) smtp.mailfrom=wix.example; dkim=pass (signature was verified) header.d=wix.example;dmarc=pass action=none header.from=wix.example;compauth=pass reason=100';
    expect(authenticated([ours], FROM, ms)).toBe(true);
    expect(authenticated(['spf=fail smtp.mailfrom=wix.example; dkim=none', ours], FROM, ms)).toBe(false);
  });
});
