/**
 * Line decoding for `claude -p --output-format stream-json`: one JSON object per stdout line.
 * Shared by this package's CLI transport and by farm's subscription runner.
 */

/**
 * Splits a byte stream into lines and hands each JSON object on; other lines go to `onText`.
 * Bytes are decoded with a streaming decoder so a UTF-8 character split across chunks survives.
 */
export function createLineDecoder<E extends object>(onEvent: (e: E) => void, onText: (line: string) => void): (chunk: Buffer) => void {
  const decoder = new TextDecoder();
  let buf = '';
  return (chunk) => {
    buf += decoder.decode(chunk, { stream: true });
    let nl = buf.indexOf('\n');
    while (nl >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      nl = buf.indexOf('\n');
      if (line === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        onText(line);
        continue;
      }
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) onEvent(parsed as E);
      else onText(line);
    }
  };
}
