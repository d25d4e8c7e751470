import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { PACKAGE_ROOT, PACKAGED_ASSETS, RUNNING_FROM_PACKAGE } from '../runtime-assets.js';
import { BUNDLE_FILE, esbuildCode } from './esbuild-code.js';

/** The converse handler's source: `handler`, an `awslambda.streamifyResponse` function. */
export const CONVERSE_ENTRY = path.join(PACKAGE_ROOT, 'lambda', 'converse', 'index.ts');

/** Where the package build puts the bundled converse handler, which the package ships. */
export const PACKAGED_CONVERSE_BUNDLE = path.join(PACKAGED_ASSETS, 'converse-function');

/**
 * The converse function's code. From the installed package: the bundle built with the
 * package, deployed byte for byte as tested (no esbuild needed). From this project's
 * sources: the same bundle built from source during synth, with the same options, so both
 * give the same bytes and the same asset hash. With `entry`: that handler, bundled by
 * esbuild during synth.
 */
export function converseCode(entry?: string): lambda.Code {
  if (entry !== undefined) return esbuildCode(entry);
  if (!RUNNING_FROM_PACKAGE) return esbuildCode(CONVERSE_ENTRY);
  if (!existsSync(path.join(PACKAGED_CONVERSE_BUNDLE, BUNDLE_FILE))) {
    throw new Error(
      `ConverseFunction: the packaged handler bundle ${path.join(PACKAGED_CONVERSE_BUNDLE, BUNDLE_FILE)} is missing; reinstall the package (it is built by its prepack step)`,
    );
  }
  return lambda.Code.fromAsset(PACKAGED_CONVERSE_BUNDLE);
}
