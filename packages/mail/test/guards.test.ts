// Covers the loop guards on parsed messages: every automation reason, own address, spam flags,
// delivery reports, and the bulk/list grouping the digest uses.
import { describe, expect, it } from 'vitest';
import { automationReasons, groupKey, isAutomated, isBulk, isList, isSpamFlagged } from '../src/guards.ts';
import type { MailMessage } from '../src/message.ts';
import { parseMessage } from '../src/parse.ts';

async function parsed(...headers: string[]): Promise<MailMessage> {
  const raw = [...headers, '', 'body'].join('\r\n');
  const result = await parseMessage(Buffer.from(raw));
  if (!result.ok) throw new Error(result.reason);
  return result.message;
}

const person = 'From: Dana <dana@customer.test>';

describe('automationReasons', () => {
  it('finds nothing on a person-written message', async () => {
    const m = await parsed(person, 'Auto-Submitted: no', 'Precedence: normal', 'X-Spam-Status: No, score=0.1');
    expect(automationReasons(m, { ownAddresses: ['leads@biz.example'] })).toEqual([]);
    expect(isAutomated(m)).toBe(false);
  });

  it.each([
    [['Auto-Submitted: auto-replied'], 'auto-submitted'],
    [['Auto-Submitted: auto-generated (vacation)'], 'auto-submitted'],
    [['Precedence: bulk'], 'precedence'],
    [['Precedence: JUNK'], 'precedence'],
    [['Precedence: list'], 'precedence'],
    [['List-Id: <roofers.example.com>'], 'list-id'],
    [['X-Auto-Response-Suppress: OOF, AutoReply'], 'auto-response-suppress'],
    [['X-Autoreply: yes'], 'auto-reply-header'],
    [['Return-Path: <>'], 'null-sender'],
    [['X-Spam-Flag: YES'], 'spam-flagged'],
    [['X-Spam-Status: Yes, score=12.0 required=5.0'], 'spam-flagged'],
    [['Content-Type: multipart/report; report-type=delivery-status; boundary="b"'], 'delivery-report'],
  ])('%j -> %s', async (headers, reason) => {
    const m = await parsed(person, ...headers);
    expect(automationReasons(m)).toContain(reason);
  });

  it.each([
    ['MAILER-DAEMON@mx.example', 'mailer-daemon'],
    ['postmaster@mx.example', 'mailer-daemon'],
    ['owner-roofers@lists.example', 'list-admin-sender'],
    ['roofers-request@lists.example', 'list-admin-sender'],
    ['roofers-bounces+dana=x@lists.example', 'list-admin-sender'],
    ['noreply@forms.example', 'no-reply-sender'],
    ['no-reply@forms.example', 'no-reply-sender'],
    ['do_not_reply@forms.example', 'no-reply-sender'],
    ['wix-noreply@forms.example', 'no-reply-sender'],
  ])('sender %s -> %s', async (address, reason) => {
    const m = await parsed(`From: <${address}>`);
    expect(automationReasons(m)).toEqual([reason]);
  });

  it('does not flag ordinary senders that merely contain the words', async () => {
    for (const address of ['replyguy@x.example', 'owner@x.example', 'requests@x.example', 'daemon.fan@x.example']) {
      expect(automationReasons(await parsed(`From: <${address}>`))).toEqual([]);
    }
  });

  it('flags our own address, by From or Return-Path, case-insensitively', async () => {
    const own = { ownAddresses: ['Leads@Biz.example'] };
    expect(automationReasons(await parsed('From: leads@biz.example'), own)).toEqual(['own-address']);
    expect(automationReasons(await parsed(person, 'Return-Path: <LEADS@biz.example>'), own)).toEqual(['own-address']);
  });

  it('flags a message with no sender', async () => {
    expect(automationReasons(await parsed('Subject: who?'))).toEqual(['no-sender']);
  });
});

describe('bulk and list grouping', () => {
  it('tells list mail, bulk mail and personal mail apart', async () => {
    const list = await parsed(person, 'List-Id: Roofers <roofers.lists.example>', 'List-Unsubscribe: <mailto:u@x>');
    const news = await parsed('From: News <news@shop.example>', 'List-Unsubscribe: <https://shop.example/u>');
    const bulk = await parsed('From: deals@shop.example', 'Precedence: bulk');
    const mine = await parsed(person);
    expect([isList(list), isBulk(list)]).toEqual([true, false]);
    expect([isList(news), isBulk(news)]).toEqual([false, true]);
    expect([isList(bulk), isBulk(bulk)]).toEqual([false, true]);
    expect([isList(mine), isBulk(mine)]).toEqual([false, false]);
    expect(groupKey(list)).toBe('list:roofers.lists.example');
    expect(groupKey(news)).toBe('sender:news@shop.example');
    expect(groupKey(mine)).toBeNull();
    expect(isSpamFlagged(mine)).toBe(false);
  });
});
