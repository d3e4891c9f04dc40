// Covers stripQuotes / splitReply on hand-written samples: Gmail, Apple Mail, Outlook and
// Thunderbird reply headers, inline replies, signatures, sign-offs, mobile footers, list footers,
// forwards, and the shapes where the text must be kept.
import { describe, expect, it } from 'vitest';
import { splitReply, stripQuotes } from '../src/quote.ts';

const t = (...lines: string[]): string => lines.join('\n');

/** A forward keeps its marker and the forwarded headers and text: nothing of it is a quote. */
const GMAIL_FORWARD = t(
  'FYI, see below.',
  '',
  '---------- Forwarded message ---------',
  'From: Dana <dana@roof.example>',
  'Date: Mon, Oct 7, 2024 at 9:12 AM',
  'Subject: Leak',
  'To: <carole@example.com>',
  '',
  'The roof leaks.',
);

const cases: Array<{ name: string; input: string; body: string; quoted?: RegExp; signature?: string }> = [
  {
    name: 'Gmail top-post with a wrapped "On ... wrote:" header',
    input: t(
      'Yes, Thursday works.',
      '',
      'On Mon, Oct 7, 2024 at 9:12 AM Dana Roofer <',
      'dana@roof.example> wrote:',
      '',
      '> Can we come Thursday?',
      '> Dana',
    ),
    body: 'Yes, Thursday works.',
    quoted: /^On Mon, Oct 7[\s\S]*> Dana$/,
  },
  {
    name: 'Apple Mail header and "Sent from my iPhone"',
    input: t('Sounds good', '', 'Sent from my iPhone', '', 'On Oct 7, 2024, at 09:12, Dana <dana@roof.example> wrote:', '', '> Thursday?'),
    body: 'Sounds good',
    signature: 'Sent from my iPhone',
  },
  {
    name: 'Outlook "-----Original Message-----" block without ">"',
    input: t(
      'Invoice attached.',
      '',
      '-----Original Message-----',
      'From: Sam <sam@supplier.example>',
      'Sent: Monday, October 7, 2024 9:00 AM',
      'To: Carole',
      'Subject: Invoice',
      '',
      'Please send the invoice.',
    ),
    body: 'Invoice attached.',
    quoted: /Please send the invoice\.$/,
  },
  {
    name: 'Outlook underscore rule plus From/Sent/To/Subject block',
    input: t(
      'Thanks!',
      '________________________________',
      'From: Sam <sam@supplier.example>',
      'Sent: Monday, October 7, 2024 9:00 AM',
      'To: Carole <carole@example.com>',
      'Subject: RE: Invoice',
      '',
      'Older text',
    ),
    body: 'Thanks!',
  },
  {
    name: 'bare Outlook From/Sent block (no separator) and German headers',
    input: t('Passt.', '', 'Von: Jürgen <j@example.de>', 'Gesendet: Montag, 7. Oktober 2024 09:00', 'An: Carole', 'Betreff: Termin', '', 'Alt'),
    body: 'Passt.',
  },
  {
    name: 'inline replies between quoted lines are kept',
    input: t(
      'On Mon, 7 Oct 2024, Dana wrote:',
      '> Can you do Thursday?',
      'Yes, at 10.',
      '> And bring the ladder?',
      'Of course.',
      '',
      '-- ',
      'Carole',
      'Roofing Ltd',
    ),
    body: 'Yes, at 10.\nOf course.',
    signature: '-- \nCarole\nRoofing Ltd',
  },
  {
    name: 'bottom-posting after the quote',
    input: t('Dana <dana@roof.example> wrote:', '> Thursday?', '', 'Thursday is fine.'),
    body: 'Thursday is fine.',
  },
  {
    name: '">" lines without a header',
    input: t('> earlier text', '> more', 'My answer.'),
    body: 'My answer.',
    quoted: /^> earlier text\n> more$/,
  },
  {
    name: 'French reply header',
    input: t('Merci', '', 'Le lun. 7 oct. 2024 à 09:12, Dana <dana@roof.example> a écrit :', '> Bonjour'),
    body: 'Merci',
  },
  {
    name: 'signature delimiter without the trailing space',
    input: t('See you then.', '--', 'Sam | Supplier Co | 555-0100'),
    body: 'See you then.',
    signature: '--\nSam | Supplier Co | 555-0100',
  },
  {
    name: 'Outlook mobile and German mobile signatures',
    input: t('Ok', '', 'Get Outlook for iOS'),
    body: 'Ok',
    signature: 'Get Outlook for iOS',
  },
  {
    name: 'Mailman list footer',
    input: t(
      'Patch attached.',
      '',
      '_______________________________________________',
      'Razor-users mailing list',
      'https://lists.example.net/listinfo/razor-users',
    ),
    body: 'Patch attached.',
  },
  {
    name: 'Gmail forward marker and content are kept',
    input: GMAIL_FORWARD,
    body: GMAIL_FORWARD,
  },
  {
    name: 'Apple "Begin forwarded message:" with no comment',
    input: t('Begin forwarded message:', '', 'From: Dana <dana@roof.example>', 'Subject: Leak', '', 'The roof leaks.'),
    body: t('Begin forwarded message:', '', 'From: Dana <dana@roof.example>', 'Subject: Leak', '', 'The roof leaks.'),
  },
  {
    name: 'text that merely mentions writing is not a header',
    input: t('On Monday I wrote the quote and sent it.', 'From: the office, as usual.'),
    body: t('On Monday I wrote the quote and sent it.', 'From: the office, as usual.'),
  },
  {
    name: 'CRLF line endings',
    input: 'Fine by me.\r\n\r\nOn Tue, Dana wrote:\r\n> ok?\r\n',
    body: 'Fine by me.',
  },
];

// Behaviour the evaluation set (quote.eval.test.ts) does not show: which part a removed line
// lands in, and the shapes where the text must be kept.
const more: typeof cases = [
  {
    name: 'a sign-off, name and title go to the signature',
    input: t('We accept.', '', 'Kind regards,', 'Dana Roofer', 'Operations Manager'),
    body: 'We accept.',
    signature: 'Kind regards,\nDana Roofer\nOperations Manager',
  },
  {
    name: 'a sign-off followed by a line that could hold a fact is kept',
    input: t('Please call me.', '', 'Thanks,', 'Dana', 'see you on Monday'),
    body: t('Please call me.', '', 'Thanks,', 'Dana', 'see you on Monday'),
  },
  {
    name: 'a sign-off with a blank line before the name goes; a line after a blank or a P.S. stays',
    input: t('We accept.', '', 'Mit freundlichen Grüßen', '', 'i.A. Jürgen Becker'),
    body: 'We accept.',
    signature: 'Mit freundlichen Grüßen\n\ni.A. Jürgen Becker',
  },
  {
    name: 'a sign-off followed by a separate paragraph or a P.S. is kept',
    input: t('We accept.', '', 'Thanks,', 'Dana', '', 'See You Monday'),
    body: t('We accept.', '', 'Thanks,', 'Dana', '', 'See You Monday'),
  },
  {
    name: 'a P.S. under a sign-off is kept',
    input: t('We accept.', '', 'Regards,', 'Dana', 'P.S. Bring the ladder'),
    body: t('We accept.', '', 'Regards,', 'Dana', 'P.S. Bring the ladder'),
  },
  {
    name: 'a reply that is only a sign-off is kept',
    input: 'Thanks, Dana',
    body: 'Thanks, Dana',
  },
  {
    name: 'a mobile line with a link, translated, goes to the signature',
    input: t('Bien reçu.', '', 'Envoyé à partir de Outlook pour Android<https://aka.ms/ghei36>'),
    body: 'Bien reçu.',
    signature: 'Envoyé à partir de Outlook pour Android<https://aka.ms/ghei36>',
  },
  {
    name: '"Sent from <App>" counts only as the last line',
    input: t('Sent from Paris by train, the parcel arrives Monday.', 'Sent from Spark and more words here today'),
    body: t('Sent from Paris by train, the parcel arrives Monday.', 'Sent from Spark and more words here today'),
  },
  {
    name: 'a forward marker inside the quoted history is history',
    input: t('Done.', '', 'On Mon, Oct 7, 2024 at 9:12 AM Dana <dana@roof.example> wrote:', '> ---------- Forwarded message ---------', '> old'),
    body: 'Done.',
  },
  {
    name: 'a forward marker under an Outlook block is history too',
    input: t('Done.', '', 'From: Dana <dana@roof.example>', 'Sent: Monday', 'Subject: Leak', '', 'FYI', '---------- Forwarded message ---------', 'old'),
    body: 'Done.',
  },
  {
    name: 'a raw header pasted into a reply is not an Outlook block',
    input: t('Look at these headers:', '', 'Delivered-To: carole@example.com', 'From: Dana <dana@roof.example>', 'To: Carole', 'Subject: Leak', 'Message-ID: <x@y>', '', 'Why did it bounce?'),
    body: t('Look at these headers:', '', 'Delivered-To: carole@example.com', 'From: Dana <dana@roof.example>', 'To: Carole', 'Subject: Leak', 'Message-ID: <x@y>', '', 'Why did it bounce?'),
  },
  {
    name: 'an Outlook block with nothing above it keeps the answer written below it',
    input: t('-----Original Message-----', 'From: Dana <dana@roof.example>', 'Sent: Monday', 'Subject: Leak', '', '> Is it fixed?', '', 'Yes, since Friday.'),
    body: 'Yes, since Friday.',
  },
  {
    name: 'a bottom-post whose first line under the attribution is not quoted',
    input: t('At 8:16 AM on 9/9/02, Dana Roofer wrote:', '', '<figures elided>', '', '> The gutter is 30 m.', '', 'It is 32 m, I measured again.'),
    body: t('<figures elided>', '', 'It is 32 m, I measured again.'),
  },
  {
    name: 'supercite "XY>" quotes between inline answers',
    input: t('Hello Dana,', '', 'Monday, October 7, 2024, 9:12:03 AM, you wrote:', '', 'DR> Can you come Thursday?', '', 'Yes, at 10.', '', 'DR>', 'DR> Bring the ladder.', '', 'Of course.'),
    body: t('Hello Dana,', '', 'Yes, at 10.', '', 'Of course.'),
  },
  {
    name: '"Name wrote:" right above a quote',
    input: t('Agreed.', '', 'Dana Roofer wrote:', '> Shall we go ahead?'),
    body: 'Agreed.',
  },
  {
    name: 'a line ending in "wrote:" with a time but no date or address, above unquoted text, is kept',
    input: t('The roof is fine.', '', 'Here is what the inspector wrote at 9:30:', '- flashing ok', '- gutter loose'),
    body: t('The roof is fine.', '', 'Here is what the inspector wrote at 9:30:', '- flashing ok', '- gutter loose'),
  },
  {
    name: 'an opener and a verb with no date, address or quote is the sender\'s own text',
    input: t('Hallo Carole,', '', 'Am Montag schrieb mir der Nachbar um 9:15 folgendes:', 'der Zaun ist kaputt.'),
    body: t('Hallo Carole,', '', 'Am Montag schrieb mir der Nachbar um 9:15 folgendes:', 'der Zaun ist kaputt.'),
  },
  {
    name: 'a sentence that starts like a mobile line is kept',
    input: t('Sent from my office, the parcel is on its way.', 'Tracking number 1Z999.'),
    body: t('Sent from my office, the parcel is on its way.', 'Tracking number 1Z999.'),
  },
  {
    name: 'reply lines that end in "wrote ... at 9:15:" are not an attribution',
    input: t('As I wrote to the council.', 'They answered at 9:15:', '- the form', '- the fee'),
    body: t('As I wrote to the council.', 'They answered at 9:15:', '- the form', '- the fee'),
  },
];

describe('splitReply', () => {
  for (const c of more) {
    it(c.name, () => {
      const parts = splitReply(c.input);
      expect(parts.body).toBe(c.body);
      if (c.signature !== undefined) expect(parts.signature).toBe(c.signature);
    });
  }

  for (const c of cases) {
    it(c.name, () => {
      const parts = splitReply(c.input);
      expect(parts.body).toBe(c.body);
      if (c.quoted) expect(parts.quoted).toMatch(c.quoted);
      if (c.signature !== undefined) expect(parts.signature).toBe(c.signature);
    });
  }

  it('marks forwards and reports empty parts as empty strings', () => {
    expect(splitReply('Begin forwarded message:\n\nx').forwarded).toBe(true);
    expect(splitReply('plain')).toEqual({ body: 'plain', quoted: '', signature: '', forwarded: false });
  });

  it('stripQuotes returns the body, and a quote-only reply is empty', () => {
    expect(stripQuotes('New\n\nOn Tue, Dana wrote:\n> old')).toBe('New');
    expect(stripQuotes('> only old text')).toBe('');
  });

  it('stays fast on a long hostile body', () => {
    const hostile = `${'On '.repeat(5000)}\n${'> x\n'.repeat(20000)}${'y'.repeat(100000)}`;
    const start = performance.now();
    splitReply(hostile);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it('stays fast on lines built to make the attribution patterns backtrack', () => {
    const lines = (n: number, line: string) => Array.from({ length: n }, () => `${line}\n> x`).join('\n');
    const start = performance.now();
    splitReply(lines(200, `${'a@'.repeat(199)}a`));
    splitReply(lines(200, `${'a@'.repeat(150)} 9:12 wrote ${'b'.repeat(50)}`));
    splitReply(lines(200, `On ${'x '.repeat(190)}`));
    splitReply(Array.from({ length: 2000 }, () => 'From: a\nTo: b').join('\n'));
    splitReply(Array.from({ length: 1000 }, () => 'a'.repeat(399)).join('\n'));
    splitReply(Array.from({ length: 1000 }, () => '-'.repeat(399)).join('\n'));
    expect(performance.now() - start).toBeLessThan(2000);
  });
});
