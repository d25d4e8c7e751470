import * as path from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { PACKAGE_ROOT, PACKAGED_ASSETS } from '../runtime-assets.js';
import { shippedHandlerCode } from '../shipped-handler-code.js';
import { esbuildCode } from './esbuild-code.js';

/** The converse handler's source: `handler`, an `awslambda.streamifyResponse` function. */
export const CONVERSE_ENTRY = path.join(PACKAGE_ROOT, 'lambda', 'converse', 'index.ts');

/** Where the package build puts the bundled converse handler, which the package ships. */
export const PACKAGED_CONVERSE_BUNDLE = path.join(PACKAGED_ASSETS, 'converse-function');

/**
 * The converse function's code: the handler this package ships pre-bundled, or with `entry`
 * a handler of your own, bundled by esbuild during synth.
 */
export function converseCode(entry?: string): lambda.Code {
  if (entry !== undefined) return esbuildCode(entry);
  return shippedHandlerCode('ConverseFunction', CONVERSE_ENTRY, PACKAGED_CONVERSE_BUNDLE);
}
