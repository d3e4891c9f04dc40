/** The human form of the doctor's report. */
import type { JobReport } from './doctor.ts';

const yes = (b: boolean | undefined) => (b ? 'yes' : 'no');

/** A few lines per job. */
export function renderDoctor(reports: readonly JobReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    lines.push(`${r.job}: ${r.ok ? 'ok' : 'FAILED'}`);
    if (r.error !== undefined) lines.push(`  error: ${r.error}`);
    if (r.provider !== undefined) lines.push(`  provider: ${r.provider}, login: ${r.auth}`);
    if (r.imap !== undefined) {
      const caps = Object.entries(r.imap.capabilities).map(([k, v]) => `${k} ${yes(v)}`).join(', ');
      lines.push(`  IMAP ${r.imap.host}:${r.imap.port} (${r.imap.tls}) as ${r.imap.user}, round trip ${r.imap.rttMs} ms`);
      lines.push(`  capabilities: ${caps}`);
    }
    if (r.folders !== undefined) {
      for (const [role, f] of Object.entries(r.folders)) lines.push(`  ${role}: ${f === null ? 'none found' : `${f.path} (by ${f.via})`}`);
    }
    if (r.smtp !== undefined) lines.push(`  SMTP ${r.smtp.host}:${r.smtp.port} (${r.smtp.tls}, ${r.smtp.auth}): ${r.smtp.ok ? 'login ok' : `FAILED: ${r.smtp.error}`}`);
    if (r.filesSentItself !== undefined) lines.push(`  the provider files SMTP-submitted mail into Sent itself: ${yes(r.filesSentItself)}`);
    if (r.limits !== undefined) lines.push(`  limits: ${r.limits.imapConnections}; ${r.limits.sending}`);
  }
  return `${lines.join('\n')}\n`;
}
