/**
 * Reading and checking the jobs file (find-jobs-file.ts finds it). YAML (of which JSON is a
 * subset) is parsed with positions, so every problem, a syntax error or a field zod refuses, is
 * an ECONFIG (exit 78) naming the file, the line and the field.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { type Document, LineCounter, parseDocument } from 'yaml';
import type * as z from 'zod';
import { FarmError } from '../errors.ts';
import { DEFAULT_CRON, type InstanceSpec, jobsFileSchema } from './schema.ts';

/** An instance, resolved: paths absolute, schedule filled in. */
export interface Instance extends Omit<InstanceSpec, 'schedule'> {
  cron: string;
  /** The instance's zone; undefined: the farm's (FARM_TIMEZONE, else the system zone). */
  timezone: string | undefined;
}

/** A loaded jobs file. */
export interface JobsFile {
  file: string;
  instances: Instance[];
}

/** Reads and checks a jobs file; ECONFIG naming the line and field of the first problem. */
export async function loadJobsFile(file: string): Promise<JobsFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new FarmError('ECONFIG', `cannot read the jobs file ${file}: ${(cause as Error).message}`, { cause, option: 'jobs' });
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    const line = syntax.linePos?.[0]?.line ?? lines.linePos(syntax.pos[0]).line;
    throw new FarmError('ECONFIG', `jobs file ${file} line ${line}: not valid JSON/YAML: ${syntax.message.split('\n')[0]}`, { option: 'jobs' });
  }
  const parsed = await jobsFileSchema.safeParseAsync(doc.toJS());
  if (!parsed.success) throw issueError(file, doc, lines, parsed.error.issues[0] as z.core.$ZodIssue);
  const seen = new Map<string, number>();
  const instances = parsed.data.instances.map((spec, i) => {
    const at = (field: string) => lineOf(doc, lines, ['instances', i, field]);
    if (seen.has(spec.name)) throw new FarmError('ECONFIG', `jobs file ${file} line ${at('name')}: instances[${i}].name: "${spec.name}" is already the name of instances[${seen.get(spec.name)}]; names must be unique`, { option: 'jobs' });
    seen.set(spec.name, i);
    if (spec.path === 'subscription' && !spec.allowSubscription) {
      throw new FarmError('ECONFIG', `jobs file ${file} line ${at('path')}: instances[${i}].path: subscription needs "allowSubscription": true (a scheduled job on the subscription may breach Anthropic's terms; the API path is the default)`, { option: 'jobs' });
    }
    const { schedule, ...rest } = spec;
    const reposEnv = isAbsolute(spec.reposEnv) ? spec.reposEnv : resolve(dirname(file), spec.reposEnv);
    return { ...rest, reposEnv, cron: schedule.cron ?? DEFAULT_CRON[spec.job], timezone: schedule.timezone };
  });
  return { file, instances };
}

function issueError(file: string, doc: Document, lines: LineCounter, issue: z.core.$ZodIssue): FarmError {
  const path = [...issue.path] as Array<string | number>;
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) path.push(issue.keys[0]);
  const field = path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || '(top level)';
  return new FarmError('ECONFIG', `jobs file ${file} line ${lineOf(doc, lines, path)}: ${field}: ${issue.message}`, { option: 'jobs' });
}

/** The line of the value at `path`, or of its nearest ancestor present in the file. */
function lineOf(doc: Document, lines: LineCounter, path: ReadonlyArray<string | number | symbol>): number {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as Array<string | number>, true) as { range?: [number, number, number] } | undefined;
    if (node?.range !== undefined) return lines.linePos(node.range[0]).line;
    if (n === 0 && doc.contents?.range) return lines.linePos(doc.contents.range[0]).line;
  }
  return 1;
}
