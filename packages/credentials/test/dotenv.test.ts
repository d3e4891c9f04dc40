// Covers the dotenv parser: quoting, comments, `export`, multi-line values, no interpolation, and syntax errors by line.
import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../src/internal/dotenv.ts';

describe('parseDotenv', () => {
  it('parses plain, quoted and exported values', () => {
    const { values, errors } = parseDotenv(
      [
        '# a comment',
        '',
        'PLAIN=hello world  ',
        'SPACED = spaced ',
        'export EXPORTED=yes',
        "SINGLE='lit \\n $HOME'",
        'DOUBLE="a\\nb \\"q\\" \\\\ c"',
        'HASH=p#ss',
        'COMMENTED=value # trailing comment',
        'QUOTED_COMMENT="x # y" # real comment',
        'EMPTY=',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${} that must not be interpolated
        'INTERP=$PLAIN-${PLAIN}',
        'DUP=first',
        'DUP=second',
      ].join('\n'),
    );
    expect(errors).toEqual([]);
    expect({ ...values }).toEqual({
      PLAIN: 'hello world',
      SPACED: 'spaced',
      EXPORTED: 'yes',
      SINGLE: 'lit \\n $HOME',
      DOUBLE: 'a\nb "q" \\ c',
      HASH: 'p#ss',
      COMMENTED: 'value',
      QUOTED_COMMENT: 'x # y',
      EMPTY: '',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the same literal, kept as is
      INTERP: '$PLAIN-${PLAIN}',
      DUP: 'second',
    });
  });

  it('accepts CRLF line ends, a BOM and values spanning lines', () => {
    const { values, errors } = parseDotenv('\uFEFFA=1\r\nKEY="-----BEGIN-----\nabc\n-----END-----"\r\nB=2\r\n');
    expect(errors).toEqual([]);
    expect({ ...values }).toEqual({ A: '1', KEY: '-----BEGIN-----\nabc\n-----END-----', B: '2' });
  });

  it('reports every bad line with its number and never its value', () => {
    const { values, errors } = parseDotenv(
      ['GOOD=1', 'no equals sign here', '1BAD=x', 'TRAIL="closed" junk-s3cr3t', 'OPEN="never closed s3cr3t'].join('\n'),
    );
    expect({ ...values }).toEqual({ GOOD: '1' });
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4, 5]);
    expect(JSON.stringify(errors)).not.toContain('s3cr3t');
  });

  it('returns a record without a prototype, so __proto__ is just a key', () => {
    const { values } = parseDotenv('__proto__=x\nconstructor=y');
    expect(Object.getPrototypeOf(values)).toBeNull();
    expect(values.constructor).toBe('y');
  });
});
