import type { Finding } from './finding.js';
import type { DoctorReport } from './doctor.js';

const MARK: Record<Finding['status'], string> = { ok: 'ok   ', drift: 'DRIFT', unknown: 'note ' };

/** The report for a person: one line per finding, differences as expected vs deployed, and the verdict. */
export function renderText(report: DoctorReport): string {
  const subject = [
    report.environment === undefined ? undefined : `environment ${report.environment}`,
    report.stackName === undefined ? undefined : `stack ${report.stackName}`,
    report.memoryId === undefined ? undefined : `memory ${report.memoryId}`,
  ].filter((part) => part !== undefined);
  const lines = [`AgentCore memory doctor: ${[`region ${report.region ?? '(none)'}`, ...subject].join(', ')}`];
  for (const finding of report.findings) {
    lines.push(`  ${MARK[finding.status]} ${finding.message}`);
    if (finding.status === 'drift' && (finding.expected !== undefined || finding.deployed !== undefined)) {
      lines.push(`          expected: ${format(finding.expected)}`);
      lines.push(`          deployed: ${format(finding.deployed)}`);
    }
  }
  const drifts = report.findings.filter((finding) => finding.status === 'drift').length;
  if (report.exitCode === 2) {
    lines.push(`Could not check (${report.error?.type}): ${report.error?.message}`);
  } else if (drifts > 0) {
    lines.push(`${drifts} difference${drifts === 1 ? '' : 's'} between the code and what is deployed.`);
  } else {
    lines.push('Deployed memory, agents and function agree with the code.');
  }
  return lines.join('\n');
}

/** The report for CI: the same findings as JSON (region included), and nothing else on stdout. */
export function renderJson(report: DoctorReport): string {
  return JSON.stringify(report, null, 2);
}

function format(value: unknown): string {
  if (value === undefined || value === null) return '(none)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
