/** `cost audit`: the call-site scan of @jobs/ledger/audit, printed for people or as JSON. */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type AuditReport, auditTree } from '@jobs/ledger/audit';
import { type Deps, pathArg } from './deps.ts';
import { usageError } from './errors.ts';
import { AUDIT_HELP } from './help.ts';

const STARTUP_FILES = ['.bashrc', '.bash_profile', '.bash_login', '.profile', '.zshrc', '.zshenv', '.zprofile', '.zlogin'];

function render(report: AuditReport): string {
  const out: string[] = [];
  let file = '';
  for (const f of report.findings) {
    if (f.file !== file) {
      file = f.file;
      out.push('', f.file);
    }
    out.push(`  ${String(f.line).padStart(5)}  ${f.severity.padEnd(6)}  ${f.rule}: ${f.message}`);
    out.push(`         fix: ${f.fix}`);
    out.push(`         > ${f.excerpt}`);
  }
  const { high, medium, low } = report.counts;
  out.push('', `${high} high, ${medium} medium, ${low} low in ${report.filesScanned} files under ${report.root}.`);
  if (report.findings.length === 0) out.push('No risky Claude call sites found.');
  return `${out.join('\n').replace(/^\n/, '')}\n`;
}

/** Runs `cost audit`; returns the exit code (1 on any high-severity finding). */
export async function runAudit(argv: string[], deps: Deps): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      home: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    deps.stdout.write(AUDIT_HELP);
    return 0;
  }
  if (positionals.length > 1) throw usageError('PATH', positionals.join(' '), 'at most one folder or file');
  const root = pathArg(deps, positionals[0] ?? '.');
  const extraFiles = values.home ? STARTUP_FILES.map((f) => join(deps.home, f)) : [];
  let report: AuditReport;
  try {
    report = await auditTree(root, { extraFiles });
  } catch (err) {
    if ((err as { code?: unknown }).code === 'EREAD') throw usageError('PATH', positionals[0] ?? '.', 'an existing folder or file');
    throw err;
  }
  deps.stdout.write(values.json ? `${JSON.stringify(report)}\n` : render(report));
  return report.counts.high > 0 ? 1 : 0;
}
