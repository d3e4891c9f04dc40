// Covers the small HTML-to-text conversion: entities, dropped elements, mailto targets, and
// linear time on hostile markup.
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/parse.ts';
import { decodeEntities, htmlToText } from '../../src/internal/html-text.ts';

describe('htmlToText', () => {
  it.each([
    ['<p>a</p><p>b</p>', 'a\n\nb'],
    ['x<br>y<BR/>z', 'x\ny\nz'],
    ['<STYLE>p{}</STYLE><Script type="x">evil()</SCRIPT>kept', 'kept'],
    ['<table><tr><td>Qty</td><td>2</td></tr></table>', 'Qty 2'],
    ['1 &lt; 2 &amp;&amp; &#x41;&#66; &euro;5 &bogus;', '1 < 2 && AB €5 &bogus;'],
    ['<a href="mailto:dana@customer.test?subject=hi">Email us</a>', 'Email us <dana@customer.test>'],
    ['<a href="mailto:dana@customer.test">dana@customer.test</a>', 'dana@customer.test'],
    ['a < b and <unclosed', 'a < b and'],
    ['<!-- never closed', ''],
  ])('%s', (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it('caps its output', () => {
    expect(htmlToText(`<p>${'word '.repeat(1000)}</p>`, 100).length).toBeLessThanOrEqual(100);
  });

  it('stays linear on hostile markup', () => {
    const hostile = `${'<script>'.repeat(20000)}${'<div '.repeat(20000)}${'&amp'.repeat(20000)}`;
    const start = performance.now();
    htmlToText(hostile);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it.each([
    ['<p>Caf&eacute; Lumi&egrave;re, tr&egrave;s &agrave; c&ocirc;t&eacute; &ccedil;a</p>', 'Café Lumière, très à côté ça'],
    ['<p>Gr&uuml;&szlig;e aus K&ouml;ln, Stra&szlig;e &Auml;u&szlig;ere</p>', 'Grüße aus Köln, Straße Äußere'],
    ['&oelig;uvre &Ntilde;and&uacute; &aring;&aelig;&oslash; &rarr; &hearts;', 'œuvre Ñandú åæø → ♥'],
    ['legacy without semicolon: &eacute &copy 2026', 'legacy without semicolon: é © 2026'],
  ])('decodes every named reference of the HTML standard: %s', (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it('gives the parsed message of an HTML-only French mail its accents', async () => {
    const raw = ['From: <amelie@client.test>', 'Subject: Devis', 'Content-Type: text/html; charset=us-ascii', '', '<p>Bonjour, je souhaite un devis pour une all&eacute;e pav&eacute;e et un &eacute;tang.</p>'].join('\r\n');
    const result = await parseMessage(Buffer.from(raw));
    if (!result.ok) throw new Error(result.reason);
    expect(result.message.text).toBe('Bonjour, je souhaite un devis pour une allée pavée et un étang.');
  });

  it('replaces invalid numeric references', () => {
    expect(decodeEntities('&#0;&#xD800;&#1114112;')).toBe('\uFFFD\uFFFD\uFFFD');
  });
});
