// Covers hostile leads end to end against dovecot, the SMTP capture and the simulator: a direct lead's subject with a link, an amount and a phone number never goes out (the checks read what is sent), and a reply-to pointing at a third party gets only checked text.
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.ts';
import { directLead, mail, parsed } from './support/sample.ts';
import { startWorld } from './support/world.ts';

describe('what is sent is what is checked', () => {
  it('a direct lead whose subject carries a link, an amount and a phone number: the reply goes out under the draft subject', async () => {
    await using w = await startWorld();
    const subject = 'Invoice overdue: pay $4,900 today at http://pay-portal.evil/inv or call 900-555-0199';
    await w.deliver(directLead(1, { from: 'attacker@evil.example', subject, headers: { 'Reply-To': 'victim@example.net' } }));
    const r = await w.run();
    expect(r.code, r.stderr).toBe(0);
    const sent = w.smtp.messages.filter((m) => m.envelope.to.includes('victim@example.net'));
    expect(sent).toHaveLength(1);
    const m = await parsed(sent[0]!.raw);
    expect(m.subject).toBe('Re: Your garden enquiry');
    for (const bad of ['4,900', 'evil', '900-555-0199', 'Invoice']) expect(sent[0]!.raw.toString()).not.toContain(bad);
    expect(m.inReplyTo).toBe('<lead-1@example.org>');
  });

  it('a clean customer subject is kept, so the reply threads', async () => {
    await using w = await startWorld();
    await w.deliver(directLead(2, { subject: 'Shade border in Wrenfield' }));
    await w.run();
    const m = await parsed(w.replies()[0]!.raw);
    expect(m.subject).toBe('Re: Shade border in Wrenfield');
  });

  it('when the draft subject replaces the customer one, it is checked as sent: an amount there holds the reply', async () => {
    await using w = await startWorld();
    w.sim.respond(() => ({ kind: 'reply', json: { subject: 'Pay ＄4900 now', body: 'Hi,\n\nThanks for writing.\n\nCarole Ashby' } }));
    await w.deliver(directLead(3, { subject: 'Shade border, photos at www.evil.example' }));
    const r = await w.run();
    expect(r.report).toMatchObject({ answered: 0, held: 1 });
    expect(w.replies()).toHaveLength(0);
  });
});

describe('a Sent folder that is not there', () => {
  it('replies still go out, the owner is told once, and later runs answer new leads (no wedge)', async () => {
    await using w = await startWorld({ LEAD_IMAP_SENT_FOLDER: 'Archive/Sent' });
    await w.deliver(directLead(1));
    const first = await w.run();
    expect(first.code, first.stderr).toBe(0);
    expect(first.report).toMatchObject({ answered: 1, noticesSent: 1 });
    const notices = () => w.smtp.messages.filter((m) => m.envelope.to.includes('carole@carolesgardens.example'));
    expect((await parsed(notices()[0]!.raw)).text).toMatch(/Answered, but no copy could be filed in Sent \(ENOMAILBOX: .*Archive\/Sent.*\): "Re: Garden question 1" to customer1@example.org/);
    await w.deliver(directLead(2));
    const second = await w.run();
    expect(second.code, second.stderr).toBe(0);
    expect(second.report).toMatchObject({ answered: 1 });
    expect(w.replies().map((x) => x.to).sort()).toEqual(['customer1@example.org', 'customer2@example.org']);
    // lead 1 was named once; lead 2's own missing copy is the only news of run 2
    expect(notices()).toHaveLength(2);
    const text = (await parsed(notices()[1]!.raw)).text;
    expect(text).toContain('customer2@example.org');
    expect(text).not.toContain('customer1@example.org');
    const third = await w.run();
    expect(third.code).toBe(0);
    expect(notices()).toHaveLength(2);
  });

  it('no Drafts folder: the run stops before anything is sent, with the key to set', async () => {
    await using w = await startWorld({ LEAD_IMAP_DRAFTS_FOLDER: 'Nowhere' });
    await w.deliver(directLead(1));
    const r = await w.run();
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('LEAD_IMAP_DRAFTS_FOLDER');
    expect(w.smtp.messages).toHaveLength(0);
  });
});

/** A WordPress-form notification (the example rules' `wordpress` source) naming `email` in its body. */
function wordpressNotice(n: number, email: string, authResults: string[] = []): string {
  const top = authResults.map((v) => `Authentication-Results: ${v}\r\n`).join('');
  return top + mail(
    {
      From: "Carole's Garden Design <wordpress@carolesgardens.example>",
      To: 'hello@carolesgardens.example',
      Subject: `[Carole's Garden Design] New quote request from Dana ${n}`,
      'Message-ID': `<wp-${n}@www.carolesgardens.example>`,
    },
    `From: Dana ${n} <${email}>\nPhone: (802) 555-01${String(30 + n)}\n\nMessage Body:\nA shade border, please.`,
  );
}

describe('forged form notifications', () => {
  it('with LEAD_MAIL_PROVIDER=gmail, a notification mx.google.com did not authenticate is held for the owner, not answered', async () => {
    await using w = await startWorld({ LEAD_MAIL_PROVIDER: 'gmail' });
    await w.deliver(
      wordpressNotice(1, 'victim1@example.net'),
      wordpressNotice(2, 'victim2@example.net', ['evil.example; dkim=pass header.d=carolesgardens.example']),
      wordpressNotice(3, 'victim3@example.net', ['mx.google.com; dkim=fail header.d=carolesgardens.example', 'mx.google.com; dkim=pass header.d=carolesgardens.example']),
      wordpressNotice(4, 'dana4@example.org', ['mx.google.com; dkim=pass header.i=@carolesgardens.example header.s=wp']),
    );
    const r = await w.run();
    expect(r.code, r.stderr).toBe(0);
    expect(w.replies().map((x) => x.to)).toEqual(['dana4@example.org']);
    expect(r.report).toMatchObject({ answered: 1, reported: 3 });
    const notice = w.smtp.messages.find((m) => m.envelope.to.includes('carole@carolesgardens.example'))!;
    const text = (await parsed(notice.raw)).text;
    expect(text.match(/unauthenticated-notification/g)).toHaveLength(3);
    expect(text).toContain('victim1@example.net');
  });

  it('without the setting, a run warns that notifications are trusted on From alone', async () => {
    await using w = await startWorld();
    await w.deliver(wordpressNotice(1, 'dana1@example.org'));
    const r = await w.run();
    expect(r.stderr).toContain('trusted on their From header alone');
    expect(w.replies().map((x) => x.to)).toEqual(['dana1@example.org']);
  });
});

describe('caps', () => {
  it('LEAD_MAX_REPLIES_PER_DAY caps all replies of a day; the rest are named to the owner', async () => {
    await using w = await startWorld({ LEAD_MAX_REPLIES_PER_DAY: '2' });
    await w.deliver(directLead(1), directLead(2), directLead(3));
    const r = await w.run();
    expect(r.report).toMatchObject({ answered: 2, capped: 1 });
    expect(r.report?.outcomes).toContainEqual(expect.objectContaining({ action: 'capped', reason: 'daily-total-cap', to: 'customer3@example.org' }));
    const notice = w.smtp.messages.find((m) => m.envelope.to.includes('carole@carolesgardens.example'))!;
    expect((await parsed(notice.raw)).text).toMatch(/Not answered \(the day's 2 replies in all already went\): Customer 3/);
  });

  it('the per-sender cap folds +tags and Gmail dots', async () => {
    await using w = await startWorld();
    await w.deliver(
      directLead(1, { from: 'dana.smith+garden@gmail.com' }),
      directLead(2, { from: 'DanaSmith@googlemail.com' }),
      directLead(3, { from: 'd.a.n.a.s.m.i.t.h@gmail.com' }),
      directLead(4, { from: 'lee+a@example.org' }),
      directLead(5, { from: 'lee+b@example.org' }),
    );
    const r = await w.run();
    expect(r.report).toMatchObject({ answered: 2, capped: 3 });
    expect(w.replies().map((x) => x.to).sort()).toEqual(['dana.smith+garden@gmail.com', 'lee+a@example.org']);
  });
});

describe('what a person sees', () => {
  it('a Local Services lead under unknown labels: the owner notice has the name, the phone and an excerpt', async () => {
    await using w = await startWorld();
    await w.deliver(
      mail(
        { From: 'Google Local Services <local-services-noreply@google.example>', To: 'hello@carolesgardens.example', Subject: 'New lead from Local Services', 'Message-ID': '<lsa-9@google.example>' },
        'You have a new lead!\n\nLead name: Priya Raman\nCall back on: (802) 555-0166\nJob type: Hedge planting\nArea: Alder Falls',
      ),
    );
    const r = await w.run();
    expect(r.report).toMatchObject({ reported: 1, noticesSent: 1 });
    const text = (await parsed(w.smtp.messages[0]!.raw)).text;
    expect(text).toContain('Priya Raman');
    expect(text).toContain('phone (802) 555-0166');
    expect(text).toContain('Alder Falls');
  });

  it('a Wix notification with first and last name fields: the draft greets the customer by name', async () => {
    await using w = await startWorld();
    await w.deliver(
      mail(
        { From: 'Wix Forms <forms@wix.example>', To: 'hello@carolesgardens.example', Subject: 'New form submission', 'Message-ID': '<wix-7@wix.example>' },
        'First Name: Marta\nLast Name: Kowalski\nEmail: marta.k@example.org\nMessage: Raised beds for a school garden.',
      ),
    );
    await w.run();
    const enquiry = JSON.stringify(w.sim.messageRequests().map((q) => q.body?.messages));
    expect(enquiry).toContain('Marta Kowalski');
    expect((await parsed(w.replies()[0]!.raw)).text).toMatch(/^Hi Marta,/);
  });

  it('a secret the model returns is redacted in the held draft, the journal and dry-run output, in any encoding', async () => {
    await using w = await startWorld();
    const secret = w.imap.password;
    const b64 = Buffer.from(`x${secret}`).toString('base64');
    w.sim.respond(() => ({ kind: 'reply', json: { subject: 'Your enquiry', body: `Hi,\n\nThe password is ${secret}. Also ${b64}.\n\nCarole Ashby` } }));
    await w.deliver(directLead(1));
    let printed = '';
    const out = {
      write: (t: string) => {
        printed += t;
        return true;
      },
    };
    const env = { JOBS_STATE_DIR: w.stateDir, COST_LEDGER: w.ledgerPath };
    expect(await main(['--dry-run', '--env-file', w.envPath], { env, stdout: out, stderr: out, cwd: w.dir, home: w.dir, workspaceRoot: w.dir })).toBe(0);
    expect(printed).toContain('would hold in Drafts');
    expect(printed).toContain('[REDACTED]');
    expect(printed).not.toContain(secret);
    const r = await w.run();
    expect(r.report).toMatchObject({ held: 1, answered: 0 });
    const drafts = await w.mailbox('Drafts');
    expect(drafts[0]!.raw.toString()).not.toContain(secret);
    expect(drafts[0]!.message.text).not.toContain(secret);
    expect(drafts[0]!.message.text).toContain('The password is [REDACTED].');
    const { readFile } = await import('node:fs/promises');
    const journal = await readFile(`${w.stateDir}/lead-responder/journal.jsonl`, 'utf8');
    expect(journal).not.toContain(secret);
    expect(journal).not.toContain(b64.slice(4, 16));
    expect(w.replies()).toHaveLength(0);
  });

  it('a secret only in base64 is still caught: the draft is held, not sent', async () => {
    await using w = await startWorld();
    const b64 = Buffer.from(`key=${w.imap.password}`).toString('base64');
    w.sim.respond(() => ({ kind: 'reply', json: { subject: 'Your enquiry', body: `Hi,\n\nRef ${b64}\n\nCarole Ashby` } }));
    await w.deliver(directLead(1));
    const r = await w.run();
    expect(r.report).toMatchObject({ held: 1, answered: 0 });
    expect(w.replies()).toHaveLength(0);
  });
});
