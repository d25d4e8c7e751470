import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BUNDLE_FILE, esbuildCode } from '../converse/esbuild-code.js';
import { PACKAGE_ROOT, PACKAGED_ASSETS, RUNNING_FROM_PACKAGE } from '../runtime-assets.js';

/** The forget handler's source: `{ userId, dryRun }` in, the audit report out. */
export const FORGET_ENTRY = path.join(PACKAGE_ROOT, 'lambda', 'forget', 'handler.ts');

/** Where the package build puts the bundled forget handler, which the package ships. */
export const PACKAGED_FORGET_BUNDLE = path.join(PACKAGED_ASSETS, 'forget-function');

/**
 * The forget function's code, as the converse function's: from the installed package the
 * bundle built with it (no esbuild needed), from this project's sources the same bundle
 * built during synth with the same options.
 */
export function forgetCode(): lambda.Code {
  if (!RUNNING_FROM_PACKAGE) return esbuildCode(FORGET_ENTRY);
  if (!existsSync(path.join(PACKAGED_FORGET_BUNDLE, BUNDLE_FILE))) {
    throw new Error(
      `ForgetFunction: the packaged handler bundle ${path.join(PACKAGED_FORGET_BUNDLE, BUNDLE_FILE)} is missing; reinstall the package (it is built by its prepack step)`,
    );
  }
  return lambda.Code.fromAsset(PACKAGED_FORGET_BUNDLE);
}
