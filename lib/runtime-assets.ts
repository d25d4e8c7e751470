import * as path from 'node:path';

/**
 * Whether the constructs run from the installed package (compiled JavaScript under
 * `dist/cjs/lib`) rather than from this project's TypeScript sources under `lib`.
 */
export const RUNNING_FROM_PACKAGE = __filename.endsWith('.js');

/** This project's root, or the installed package's. */
export const PACKAGE_ROOT = path.resolve(__dirname, ...(RUNNING_FROM_PACKAGE ? ['..', '..', '..'] : ['..']));

/** Where the package build puts the files Lambda functions deploy (see scripts/package/build.ts). */
export const PACKAGED_ASSETS = path.join(PACKAGE_ROOT, 'dist');
