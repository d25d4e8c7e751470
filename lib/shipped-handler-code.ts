import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BUNDLE_FILE, esbuildCode } from './converse/esbuild-code.js';
import { RUNNING_FROM_PACKAGE } from './runtime-assets.js';

/**
 * The code of a handler this package ships pre-bundled. From the installed package: the
 * bundle built with the package, deployed byte for byte as tested (no esbuild needed). From
 * this project's sources: the same bundle built from `entry` during synth, with the same
 * options, so both give the same bytes and the same asset hash. `owner` names the construct
 * in the error a missing bundle raises.
 */
export function shippedHandlerCode(
  owner: string,
  entry: string,
  packagedBundle: string,
  fromPackage: boolean = RUNNING_FROM_PACKAGE,
): lambda.Code {
  if (!fromPackage) return esbuildCode(entry);
  const bundleFile = path.join(packagedBundle, BUNDLE_FILE);
  if (!existsSync(bundleFile)) {
    throw new Error(
      `${owner}: the packaged handler bundle ${bundleFile} is missing; reinstall the package (it is built by its prepack step)`,
    );
  }
  return lambda.Code.fromAsset(packagedBundle);
}
