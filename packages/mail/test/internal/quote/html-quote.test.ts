// Covers the quoted-history part of htmlToText: the structure Gmail, Outlook, Apple Mail,
// Thunderbird and Yahoo leave in an HTML reply comes out as "> " lines, so splitReply drops it
// from HTML-only messages; forwards, plain blockquotes and text that only looks like a mark stay.
import { describe, expect, it } from 'vitest';
import { splitReply } from '../../../src/quote.ts';
import { htmlToText } from '../../../src/internal/html-text.ts';

describe('htmlToText quoted history', () => {
  it('Gmail: the attribution and blockquote.gmail_quote become quoted lines', () => {
    const html =
      '<div dir="ltr">Ja, passt.</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">Am Mo., 7. Okt. 2024 um 09:12 Uhr schrieb Dana &lt;dana@roof.example&gt;:<br></div>' +
      '<blockquote class="gmail_quote"><div>Passt Donnerstag?</div><blockquote class="gmail_quote">Erste Frage</blockquote></blockquote></div>';
    expect(htmlToText(html)).toBe('Ja, passt.\n\n> Am Mo., 7. Okt. 2024 um 09:12 Uhr schrieb Dana <dana@roof.example>:\n\n> Passt Donnerstag?\n\n> Erste Frage');
  });

  it('Gmail: an attribution in a language no pattern knows is still dropped', () => {
    const html = '<div>Ano, čtvrtek.</div><div class="gmail_quote"><div class="gmail_attr">po 7. 10. 2024 v 9:12 odesílatel Dana napsal:</div><blockquote class="gmail_quote">Čtvrtek?</blockquote></div>';
    expect(splitReply(htmlToText(html)).body).toBe('Ano, čtvrtek.');
  });

  it('Outlook: everything from appendonsend / divRplyFwdMsg down is history', () => {
    const html =
      '<div>Approved.</div><div id="appendonsend"></div><hr><div id="divRplyFwdMsg"><b>Od:</b> Dana<br><b>Odesláno:</b> pondělí<br><b>Předmět:</b> Nabídka</div>' +
      '<div><div>Old text</div></div><p>More old text</p>';
    const text = htmlToText(html);
    expect(text).toBe('Approved.\n\n> Od: Dana\n> Odesláno: pondělí\n> Předmět: Nabídka\n\n> Old text\n\n> More old text');
    expect(splitReply(text).body).toBe('Approved.');
  });

  it('Outlook: a forward (FW: subject) is left as text', () => {
    const html = '<div>See below.</div><div id="divRplyFwdMsg"><b>From:</b> Dana<br><b>Subject:</b> FW: Leak</div><div>The roof leaks.</div>';
    expect(htmlToText(html)).toBe('See below.\n\nFrom: Dana\nSubject: FW: Leak\n\nThe roof leaks.');
  });

  it('Apple Mail and Thunderbird: blockquote type=cite and moz-cite-prefix', () => {
    const apple = 'Parfait.<br><blockquote type="cite"><div>Le 7 oct. 2024 à 09:12, Dana a écrit :</div><div>Demain ?</div></blockquote>';
    expect(htmlToText(apple)).toBe('Parfait.\n\n> Le 7 oct. 2024 à 09:12, Dana a écrit :\n\n> Demain ?');
    const tb = '<p>Tak.</p><div class="moz-cite-prefix">W dniu 7.10.2024 o 09:12, Dana pisze:<br></div><blockquote type="cite"><p>Czwartek?</p></blockquote>';
    expect(splitReply(htmlToText(tb))).toMatchObject({ body: 'Tak.', quoted: '> W dniu 7.10.2024 o 09:12, Dana pisze:\n> Czwartek?' });
  });

  it('Yahoo: the yahoo_quoted block, attribution included', () => {
    const html = '<div>Confirmo.</div><div id="yahoo_quoted_77" class="yahoo_quoted"><div>El lunes, Dana escribió:</div><div><div>¿Confirma?</div></div></div>';
    expect(splitReply(htmlToText(html)).body).toBe('Confirmo.');
  });

  it('keeps a forward inside a cite region, a plain blockquote, and an unrelated div', () => {
    const fwd = '<div>FYI</div><blockquote type="cite"><div>Begin forwarded message:</div><div>From: Dana</div><div>The roof leaks.</div></blockquote>';
    expect(htmlToText(fwd)).toBe('FYI\n\nBegin forwarded message:\n\nFrom: Dana\n\nThe roof leaks.');
    const plain = '<p>As the manual says:</p><blockquote><p>Water early.</p></blockquote><p>Agreed?</p>';
    expect(htmlToText(plain)).toBe('As the manual says:\n\nWater early.\n\nAgreed?');
  });

  it('a plain blockquote right under an attribution (Yandex, Mail.ru) is quoted', () => {
    const html = '<div>Да.</div><div>07.10.2024, 09:12, "Dana" &lt;dana@roof.example&gt;:</div><blockquote><div>Четверг?</div></blockquote>';
    expect(splitReply(htmlToText(html)).body).toBe('Да.');
  });

  it('private-use characters in the text can not open or close a region', () => {
    const html = '<div>\uE000keep me\uE004 &#xE003;and me</div><blockquote type="cite">old</blockquote>';
    expect(htmlToText(html)).toBe('\uFFFDkeep me\uFFFD \uFFFDand me\n\n> old');
  });

  it('stays linear on deep and unbalanced nesting', () => {
    const deep = `${'<blockquote type="cite"><div>x'.repeat(10_000)}${'</div></blockquote>'.repeat(10_000)}`;
    const stray = `<div>${'</blockquote>'.repeat(30_000)}${'<div>'.repeat(30_000)}y${'</div>'.repeat(30_000)}`;
    const start = performance.now();
    expect(htmlToText(deep).startsWith('> x')).toBe(true);
    expect(htmlToText(stray)).toBe('y');
    expect(performance.now() - start).toBeLessThan(3000);
  });
});
