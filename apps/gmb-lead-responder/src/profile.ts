/**
 * The business profile: a markdown file that is the system prompt of every draft and the
 * source of truth for the prices a draft may state.
 */
import { readFile } from 'node:fs/promises';
import { LeadError } from './errors.ts';
import { findAmounts } from './internal/amounts.ts';

/** The profile as the run uses it. */
export interface BusinessProfile {
  readonly path: string;
  readonly text: string;
  /** Every amount of money the profile states (normalized, e.g. 95, 1.25, 480). */
  readonly prices: ReadonlySet<number>;
}

/** Builds a profile from its text. */
export function profileFromText(text: string, path = 'business-profile.md'): BusinessProfile {
  if (text.trim().length < 50) {
    throw new LeadError('ECONFIG', `business profile ${path} is empty or too short to draft from: fill it in`, { path });
  }
  return { path, text, prices: new Set(findAmounts(text).map((a) => a.value)) };
}

/** Reads the profile file. */
export async function loadProfile(path: string): Promise<BusinessProfile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new LeadError('ECONFIG', `cannot read the business profile ${path}: check LEAD_PROFILE_PATH in repos.env`, {
      path,
      cause: err,
    });
  }
  return profileFromText(text, path);
}
