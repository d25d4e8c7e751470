import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BUNDLE_FILE, esbuildCode } from './esbuild-code.js';

/**
 * Whether this module runs from the installed package (compiled JavaScript) rather than
 * from this project's TypeScript sources.
 */
const RUNNING_FROM_PACKAGE = __filename.endsWith('.js');

/** This project's root, or the installed package's (`dist/cjs/lib/converse` is four levels down). */
const PACKAGE_ROOT = path.resolve(__dirname, ...(RUNNING_FROM_PACKAGE ? ['..', '..', '..', '..'] : ['..', '..']));

/** The converse handler's source: `handler`, an `awslambda.streamifyResponse` function. */
export const CONVERSE_ENTRY = path.join(PACKAGE_ROOT, 'lambda', 'converse', 'index.ts');

/** Where the package build puts the bundled converse handler, which the package ships. */
export const PACKAGED_CONVERSE_BUNDLE = path.join(PACKAGE_ROOT, 'dist', 'converse-function');

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
