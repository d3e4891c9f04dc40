/**
 * Renders an AuthReport for a person reading a terminal. Never prints a secret: the
 * report holds none (sources and line numbers only).
 */
import type { AuthReport } from './auth-report.ts';

/** Formats the doctor's report as plain text lines. */
export function formatAuthReport(report: AuthReport): string {
  const out: string[] = [];
  out.push(`claude would bill: ${report.billing} (${report.path})`);
  out.push(`  source: ${report.source}`);
  out.push(`  ${report.explanation}`);
  if (report.shadowed.length > 0) {
    out.push('also configured, but outranked:');
    for (const c of report.shadowed) out.push(`  - ${c.path} (${c.billing}) from ${c.source}`);
  }
  if (report.shellExports.length > 0) {
    out.push('shell start-up files exporting credentials:');
    for (const e of report.shellExports) out.push(`  - ${e.file}:${e.line} exports ${e.name}`);
    out.push('  every claude started from such a shell bills that credential, not the subscription;');
    out.push('  remove the export and keep the key in repos.env, where only the jobs read it');
  }
  if (report.reposEnv) {
    const r = report.reposEnv;
    const state = !r.exists
      ? 'missing'
      : `mode ${r.mode ?? '?'}, ${r.tracked === true ? 'tracked by git' : r.tracked === false ? 'not tracked by git' : 'git status unknown'}`;
    out.push(`repos.env: ${r.file} (${state})${r.problems.length === 0 ? ': ok' : ''}`);
    for (const p of r.problems) out.push(`  ! ${p}`);
  }
  for (const w of report.warnings) out.push(`warning: ${w}`);
  return `${out.join('\n')}\n`;
}
