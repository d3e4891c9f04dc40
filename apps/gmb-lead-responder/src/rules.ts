/**
 * The lead rules file (`lead-rules.json`, described in examples/README.md): which mail is a
 * lead, where the customer's address is, and what a draft may contain. Read once per run and
 * checked with zod; a bad file is an ECONFIG naming the file and every problem.
 */
import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { LeadError } from './errors.ts';

const labels = z.array(z.string().min(1)).default([]);
const fields = z.object({
  name: labels,
  email: labels,
  phone: labels,
  message: labels,
});
const partialFields = z
  .object({
    name: z.array(z.string().min(1)),
    email: z.array(z.string().min(1)),
    phone: z.array(z.string().min(1)),
    message: z.array(z.string().min(1)),
  })
  .partial();

const source = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/, 'id must be 1-40 of A-Z a-z 0-9 . _ -'),
  kind: z.enum(['form', 'booking', 'local-services']),
  from: z.array(z.string().min(1)).min(1),
  subjectContains: z.array(z.string().min(1)).default([]),
  replyAddress: z.array(z.enum(['reply-to', 'body', 'from'])).default([]),
  fields: partialFields.optional(),
});

const lowerList = z.array(z.string().min(1)).default([]).transform((l) => l.map((s) => s.trim().toLowerCase()));

/** The schema of lead-rules.json, version 1. */
export const rulesSchema = z.object({
  version: z.literal(1),
  leadAddresses: lowerList,
  ownAddresses: lowerList,
  ownDomains: lowerList,
  requestSubjects: lowerList,
  ignoreReplies: z.boolean().default(true),
  defaultFields: fields,
  sources: z.array(source).default([]),
  neverReplyTo: lowerList,
  maxRepliesPerSenderPerDay: z.number().int().min(1).default(1),
  draft: z.object({
    allowedLinkDomains: lowerList,
    allowedEmailAddresses: lowerList,
    allowedPhoneNumbers: z.array(z.string().min(1)).default([]),
    allowLeadContact: z.boolean().default(true),
    maxSubjectChars: z.number().int().min(10).max(998).default(120),
    maxBodyChars: z.number().int().min(100).max(20_000).default(1500),
  }),
});

/** Parsed and defaulted lead rules. */
export type LeadRules = z.output<typeof rulesSchema>;
/** One notification source of the rules. */
export type LeadSource = LeadRules['sources'][number];
/** Body-field labels by field. */
export type FieldLabels = LeadRules['defaultFields'];

/** Checks a parsed JSON value; throws LeadError ECONFIG listing every problem. */
export function parseRules(value: unknown, path = 'lead-rules.json'): LeadRules {
  const result = rulesSchema.safeParse(value);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new LeadError('ECONFIG', `lead rules ${path} are invalid:\n${lines}\nFix the file (examples/README.md describes every field).`, {
      path,
    });
  }
  return result.data;
}

/** Reads and checks the rules file. */
export async function loadRules(path: string): Promise<LeadRules> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new LeadError('ECONFIG', `cannot read the lead rules file ${path}: check LEAD_RULES_PATH in repos.env`, { path, cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new LeadError('ECONFIG', `lead rules ${path} are not valid JSON (${(err as Error).message})`, { path, cause: err });
  }
  return parseRules(json, path);
}
