/**
 * Options of startSmtpCapture() and their validation (each error names the option and value).
 */
import { isIP } from 'node:net';
import { TestkitError } from '../errors.ts';
import type { Logger } from '@jobs/core/logger';
import type { FileSent, SmtpOAuth2Options } from './smtp-oauth.ts';

/**
 * `required`: MAIL FROM before a successful AUTH gets 530 (a real submission server).
 * `optional`: AUTH is offered and checked, but mail without it is taken too.
 * `none`: AUTH is not offered at all.
 */
export type SmtpAuthMode = 'required' | 'optional' | 'none';

/** Options of startSmtpCapture(). Every field is optional. */
export interface SmtpCaptureOptions {
  /** Login accepted by AUTH PLAIN / LOGIN. Default `test`. */
  user?: string;
  /** Its password. Default: random per instance. */
  password?: string;
  /** Default `required`. Wrong credentials always get 535. */
  auth?: SmtpAuthMode;
  /** Listen address; must be a loopback IP. Default `127.0.0.1`. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Clock for CapturedMessage.at. Default Date.now. */
  now?: () => number;
  /** How fault latency is waited. Default: a real timer, cancelled by close(). */
  sleep?: (ms: number) => Promise<void>;
  /** pino-compatible logger. Default: silent. */
  logger?: Logger;
  /** Take SASL XOAUTH2 tokens checked by introspection (and, by default, nothing else). */
  oauth2?: SmtpOAuth2Options;
  /** File each accepted message into a Sent folder before the 250, as Gmail and Microsoft 365 do. */
  fileSent?: FileSent;
}

function bad(option: string, value: unknown, expected: string): TestkitError {
  return new TestkitError(
    'ECONFIG',
    `startSmtpCapture: option ${option} must be ${expected}, got ${typeof value === 'function' ? 'a function' : JSON.stringify(value)}`,
    { option },
  );
}

/** Checks every option; returns them unchanged. */
export function checkSmtpOptions(o: SmtpCaptureOptions): SmtpCaptureOptions {
  if (typeof o !== 'object' || o === null) throw bad('options', o, 'an object');
  if (o.user !== undefined && (typeof o.user !== 'string' || !/^[^\s\0]{1,128}$/.test(o.user))) {
    throw bad('user', o.user, 'a non-empty string without spaces');
  }
  if (o.password !== undefined && (typeof o.password !== 'string' || o.password.length === 0)) {
    // The value is not echoed: it is a credential, even in tests.
    throw new TestkitError('ECONFIG', 'startSmtpCapture: option password must be a non-empty string', {
      option: 'password',
    });
  }
  if (o.auth !== undefined && !['required', 'optional', 'none'].includes(o.auth)) {
    throw bad('auth', o.auth, "'required', 'optional' or 'none'");
  }
  if (o.host !== undefined && !(typeof o.host === 'string' && isLoopback(o.host))) {
    throw bad('host', o.host, 'a loopback IP (tests never listen elsewhere)');
  }
  if (o.port !== undefined && !(Number.isInteger(o.port) && o.port >= 0 && o.port <= 65535)) {
    throw bad('port', o.port, 'an integer from 0 to 65535');
  }
  for (const key of ['now', 'sleep'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'function') throw bad(key, o[key], 'a function');
  }
  if (o.oauth2 !== undefined && typeof o.oauth2?.introspect !== 'function') throw bad('oauth2.introspect', o.oauth2, 'a function');
  if (o.fileSent !== undefined && typeof o.fileSent !== 'function') throw bad('fileSent', o.fileSent, 'a function');
  if (o.logger !== undefined && typeof o.logger?.debug !== 'function') throw bad('logger', o.logger, 'a logger');
  return o;
}

function isLoopback(host: string): boolean {
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}
