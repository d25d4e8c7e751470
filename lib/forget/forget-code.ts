import * as path from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { PACKAGE_ROOT, PACKAGED_ASSETS } from '../runtime-assets.js';
import { shippedHandlerCode } from '../shipped-handler-code.js';

/** The forget handler's source: `{ userId, dryRun }` in, the audit report out. */
export const FORGET_ENTRY = path.join(PACKAGE_ROOT, 'lambda', 'forget', 'handler.ts');

/** Where the package build puts the bundled forget handler, which the package ships. */
export const PACKAGED_FORGET_BUNDLE = path.join(PACKAGED_ASSETS, 'forget-function');

/** The forget function's code: the handler this package ships pre-bundled, as the converse function's. */
export function forgetCode(): lambda.Code {
  return shippedHandlerCode('ForgetFunction', FORGET_ENTRY, PACKAGED_FORGET_BUNDLE);
}
