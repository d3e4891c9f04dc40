// Covers lead details from notifications whose labels the rules do not name: a split first/last name (Wix), a name and phone under unknown labels (Local Services), and the body excerpt for the owner.
import { describe, expect, it } from 'vitest';
import { mail, parsed } from './support/sample.ts';
import { extractFromNotification } from '../src/extract.ts';

const labels = { name: ['Name', 'Full name'], email: ['Email'], phone: ['Phone'], message: ['Message', 'Job type'] };

describe('extractFromNotification', () => {
  it('joins a First name and a Last name field (Wix) when no name label matches', async () => {
    const m = await parsed(mail({ From: 'Wix <no-reply@wix.example>', Subject: 'New submission' }, 'First Name: Dana\nLast Name: Whitfield\nEmail: dana@example.org\nMessage: A hedge, please.'));
    const d = extractFromNotification(m, labels, ['body']);
    expect(d.name).toBe('Dana Whitfield');
    expect(d.email).toBe('dana@example.org');
  });

  it('finds the name and the phone under labels the rules do not know, and keeps an excerpt', async () => {
    const body = 'You have a new lead!\n\nLead name: Sam Patel\nCall back on: (802) 555-0147\nJob type: Roof repair\nArea: North Wrenfield';
    const m = await parsed(mail({ From: 'local-services-noreply@google.example', Subject: 'New lead' }, body));
    const d = extractFromNotification(m, labels, ['body']);
    expect(d.name).toBe('Sam Patel');
    expect(d.phone).toBeNull(); // never allowed in a draft: it was not under a phone label
    expect(d.callback).toBe('(802) 555-0147');
    expect(d.excerpt).toContain('Call back on: (802) 555-0147');
  });
});
