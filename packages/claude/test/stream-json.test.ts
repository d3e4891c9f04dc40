// stream-json line decoding: events across chunk boundaries, a UTF-8 character split between
// chunks, non-JSON and non-object lines handed to onText.
import { describe, expect, it } from 'vitest';
import { createLineDecoder } from '../src/stream-json.ts';

describe('createLineDecoder', () => {
  it('joins lines and characters split across chunks', () => {
    const events: Array<{ text?: string }> = [];
    const texts: string[] = [];
    const decode = createLineDecoder<{ text?: string }>((e) => events.push(e), (t) => texts.push(t));
    const bytes = Buffer.from('{"text":"Zoë ☕"}\n\nnot json\n[1]\n{"text":"b"}\n');
    const cut = bytes.indexOf(Buffer.from('☕')) + 1; // inside the 3-byte character
    decode(bytes.subarray(0, cut));
    decode(bytes.subarray(cut));
    expect(events).toEqual([{ text: 'Zoë ☕' }, { text: 'b' }]);
    expect(texts).toEqual(['not json', '[1]']);
  });

  it('holds a line until its newline arrives', () => {
    const events: unknown[] = [];
    const decode = createLineDecoder((e) => events.push(e), () => {});
    decode(Buffer.from('{"type":"res'));
    expect(events).toEqual([]);
    decode(Buffer.from('ult"}\n'));
    expect(events).toEqual([{ type: 'result' }]);
  });
});
