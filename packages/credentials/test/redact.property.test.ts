// Covers the redactor as a property: random secrets (ASCII, punctuation, non-ASCII), each written in every encoding a log or dump uses, spread across the fields of a nested record with random text around them; after redactDeep and after the logger, no encoded form of any secret is left.
import { prng, type Random } from '@jobs/testkit/prng';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@jobs/core/logger';
import { createRedactor, redactDeep } from '../src/redact.ts';

const ALPHABET = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~!@#$%^&*()+=/?:;"\' ,<>[]{}|\\éüñ中€'];

function pick<T>(rnd: Random, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)]!;
}

function randomSecret(rnd: Random): string {
  const length = 8 + Math.floor(rnd() * 33);
  let s = '';
  while ([...s].length < length) s += pick(rnd, ALPHABET);
  return s;
}

function filler(rnd: Random): string {
  let s = '';
  const n = Math.floor(rnd() * 12);
  for (let i = 0; i < n; i++) s += pick(rnd, [...'abcxyz019 =:&?']);
  return s;
}

/** The part of a base64 blob that holds the secret's bits alone (what must not survive). */
function base64Inside(rnd: Random, secret: string, encoding: 'base64' | 'base64url'): { written: string; core: string } {
  const bytes = Buffer.from(secret);
  const before = Math.floor(rnd() * 3);
  const written = Buffer.concat([Buffer.from('xyz'.slice(0, before)), bytes, Buffer.from('tail')]).toString(encoding);
  return { written, core: written.slice(Math.ceil((before * 8) / 6), Math.floor(((before + bytes.length) * 8) / 6)) };
}

type Encoding = (rnd: Random, s: string) => { written: string; core: string };
const same = (written: string) => ({ written, core: written });

const ENCODINGS: Record<string, Encoding> = {
  plain: (_r, s) => same(s),
  'upper-case': (_r, s) => same(s.toUpperCase()),
  json: (_r, s) => same(JSON.stringify(s).slice(1, -1)),
  'json twice': (_r, s) => same(JSON.stringify(JSON.stringify(s)).slice(1, -1)),
  'json \\u': (_r, s) => same(JSON.stringify(s).slice(1, -1).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)),
  'json \\/': (_r, s) => same(JSON.stringify(s).slice(1, -1).replaceAll('/', '\\/')),
  encodeURIComponent: (_r, s) => same(encodeURIComponent(s)),
  'percent, every byte': (_r, s) => same([...Buffer.from(s)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')),
  'percent, lower hex': (_r, s) => same(encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())),
  form: (_r, s) => same(new URLSearchParams({ a: s }).toString().slice(2)),
  hex: (_r, s) => same(Buffer.from(s).toString('hex')),
  'upper hex': (_r, s) => same(Buffer.from(s).toString('hex').toUpperCase()),
  base64: (r, s) => base64Inside(r, s, 'base64'),
  base64url: (r, s) => base64Inside(r, s, 'base64url'),
  'Buffer as JSON bytes': (_r, s) => {
    const core = [...Buffer.from(s)].join(',');
    return { written: `{"type":"Buffer","data":[120,${core},121]}`, core };
  },
};

describe('redactor property: no encoded secret survives', () => {
  it.each([1, 2, 3, 4, 5])('seed %i: 60 random secrets, every encoding, spread across fields', (seed) => {
    const rnd = prng(seed);
    const secrets = Array.from({ length: 60 }, () => randomSecret(rnd));
    const redact = createRedactor(secrets);
    let line = '';
    const log = createLogger({ redact, stream: { write: (s: string) => { line += s; return true; } }, now: () => new Date(0) });
    for (const secret of secrets) {
      const record: Record<string, unknown> = { nested: { list: [] as unknown[] } };
      const cores: Array<[string, string]> = [];
      for (const [name, encode] of Object.entries(ENCODINGS)) {
        const { written, core } = encode(rnd, secret);
        cores.push([name, core]);
        const value = `${filler(rnd)}${written}${filler(rnd)}`;
        const where = Math.floor(rnd() * 3);
        if (where === 0) record[`f${cores.length}`] = value;
        else if (where === 1) (record.nested as { list: unknown[] }).list.push(value);
        else (record.nested as Record<string, unknown>)[`g${cores.length}`] = { deep: value };
      }
      record.buffer = Buffer.from(`x${secret}y`);
      const out = JSON.stringify(redactDeep(record, redact));
      line = '';
      log.info({ ...record }, 'request');
      for (const text of [out, line]) {
        for (const [name, core] of cores) {
          expect(text.includes(core), `seed ${seed}, ${name} of ${JSON.stringify(secret)} survived`).toBe(false);
        }
        expect(text.includes(secret), `seed ${seed}: ${JSON.stringify(secret)}`).toBe(false);
      }
    }
  });
});
