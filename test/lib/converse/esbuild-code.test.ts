import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CONVERSE_ENTRY } from '../../../lib/converse/converse-code.js';

function functionWith(code: lambda.Code): void {
  const stack = new Stack(new App(), 'Bundling');
  new lambda.Function(stack, 'Function', { code, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X });
}

describe('esbuildCode', () => {
  test('names the missing tool and how to install it when esbuild is not installed', () => {
    jest.isolateModules(() => {
      jest.doMock('esbuild', () => {
        throw new Error("Cannot find module 'esbuild'");
      });
      const { esbuildCode } =
        require('../../../lib/converse/esbuild-code.js') as typeof import('../../../lib/converse/esbuild-code.js');
      expect(() => functionWith(esbuildCode(CONVERSE_ENTRY))).toThrow(
        /ConverseFunction bundles .*lambda\/converse\/index\.ts with esbuild, which is not installed: add it with npm install --save-dev esbuild/,
      );
    });
    jest.dontMock('esbuild');
  });

  test('reports a handler that does not compile instead of deploying a broken bundle', () => {
    const { esbuildCode } =
      require('../../../lib/converse/esbuild-code.js') as typeof import('../../../lib/converse/esbuild-code.js');
    expect(() => functionWith(esbuildCode(`${__dirname}/does-not-exist.ts`))).toThrow(
      /Could not resolve|does-not-exist/,
    );
  });
});
