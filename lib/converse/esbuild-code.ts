import * as path from 'node:path';
import { AssetHashType } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { BuildOptions } from 'esbuild';
import { bundleWithCache, defaultBundleCacheDirectory } from './bundle-cache.js';

const BUNDLE_EXTENSION = '.mjs';

/** The bundle's entry file; Lambda loads `index.mjs` (and the chunks it imports) as ES modules. */
export const BUNDLE_FILE = `index${BUNDLE_EXTENSION}`;

/** The handler inside {@link BUNDLE_FILE}. */
export const BUNDLE_HANDLER = 'index.handler';

/** Lets CommonJS dependencies call `require` inside the ESM bundle. */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/**
 * What the Node.js 24 runtime loads fastest: minified ES modules (their import measured
 * about 170 ms against 300 ms for the same code as CommonJS), the AWS SDK inside because
 * the SDK built into Lambda may predate the AgentCore client, `module` entry points first
 * so packages contribute their tree-shakeable ESM builds, no source maps so the asset hash
 * does not depend on the checkout path. Code reached only through a dynamic `import()`
 * (the SDK's credential providers other than the environment's, its STS and SSO clients)
 * goes into chunks of its own beside {@link BUNDLE_FILE}, loaded by the invocation that
 * needs them, so a cold start neither parses nor runs it. The browser user-agent parser,
 * which the SDK imports only in browsers, stays out of the bundle.
 */
export function converseBundleOptions(entry: string, outputDirectory: string): BuildOptions {
  return {
    entryPoints: [entry],
    outdir: outputDirectory,
    entryNames: path.basename(BUNDLE_FILE, BUNDLE_EXTENSION),
    chunkNames: '[name]-[hash]',
    outExtension: { '.js': BUNDLE_EXTENSION },
    splitting: true,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    mainFields: ['module', 'main'],
    external: ['bowser'],
    banner: { js: ESM_REQUIRE_BANNER },
    minify: true,
    sourcemap: false,
    logLevel: 'warning',
  };
}

/**
 * The handler at `entry`, bundled by esbuild's JavaScript API inside the synth process.
 * NodejsFunction's own bundling runs the same esbuild through `npx`, which costs about
 * 0.3 s of every synth and of every test that builds the function. The asset hash is the
 * bundle's, so a dependency upgrade that changes the bundle changes the hash. A bundle
 * whose sources are all unchanged since an earlier synth is copied from `cacheDirectory`
 * instead of built again (same bytes, same hash). There is no Docker fallback: esbuild must
 * be installed (an optional peer dependency of the package).
 */
export function esbuildCode(
  entry: string,
  cacheDirectory: string | undefined = defaultBundleCacheDirectory(),
): lambda.Code {
  return lambda.Code.fromAsset(path.dirname(entry), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the type; never used, because local bundling always succeeds or throws.
      image: lambda.Runtime.NODEJS_24_X.bundlingImage,
      local: {
        tryBundle(outputDirectory: string): boolean {
          bundleWithCache(
            loadEsbuild(entry),
            converseBundleOptions(entry, outputDirectory),
            outputDirectory,
            cacheDirectory,
          );
          return true;
        },
      },
    },
  });
}

function loadEsbuild(entry: string): typeof import('esbuild') {
  try {
    // Loaded at bundling time only, so importing the construct library costs nothing.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy, optional dependency
    return require('esbuild') as typeof import('esbuild');
  } catch {
    throw new Error(
      `ConverseFunction bundles ${entry} with esbuild, which is not installed: add it with npm install --save-dev esbuild`,
    );
  }
}
