#!/usr/bin/env node
// `cdk synth` exits 0 even when a validation plugin (cdk-nag) reports violations; the
// report it writes is the only reliable signal, so CI checks the report itself.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const reportPath = resolve(process.argv[2] ?? 'cdk.out/validation-report.json');

if (!existsSync(reportPath)) {
  console.error(
    `${reportPath} is missing: run 'cdk synth' first (the app registers the cdk-nag packs, which write it)`,
  );
  process.exit(1);
}

let report;
try {
  report = JSON.parse(readFileSync(reportPath, 'utf8'));
} catch (error) {
  console.error(`${reportPath} is not valid JSON: ${error.message}`);
  process.exit(1);
}
if (!Array.isArray(report.pluginReports)) {
  console.error(`${reportPath} has no pluginReports list; cannot tell whether validation passed`);
  process.exit(1);
}

const failed = report.pluginReports.filter((pluginReport) => pluginReport.conclusion !== 'success');
if (failed.length === 0) {
  console.log(`Validation report: no violations (${reportPath})`);
  process.exit(0);
}

for (const pluginReport of failed) {
  console.error(`${pluginReport.pluginName}: ${pluginReport.conclusion}`);
  for (const violation of pluginReport.violations ?? []) {
    const paths = (violation.violatingConstructs ?? violation.violatingResources ?? []).map(
      (resource) => resource.constructPath ?? resource.resourceLogicalId,
    );
    console.error(`  [${violation.severity}] ${violation.ruleName}: ${violation.description}`);
    for (const path of paths) console.error(`      at ${path}`);
  }
}
console.error(`Validation failed: fix the findings above or acknowledge them with a reason (report: ${reportPath})`);
process.exit(1);
