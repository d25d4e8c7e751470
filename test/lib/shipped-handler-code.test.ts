import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { shippedHandlerCode } from '../../lib/shipped-handler-code.js';

const FIXTURE_ENTRY = path.join(__dirname, 'converse', 'fixtures', 'handler.ts');

function deployedCode(code: lambda.Code) {
  const stack = new Stack(new App(), 'Stack');
  new lambda.Function(stack, 'Function', { code, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X });
  const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
  return fn.Properties.Code as { S3Key: string };
}

describe('shippedHandlerCode', () => {
  const packaged = mkdtempSync(path.join(tmpdir(), 'shipped-bundle-'));
  afterAll(() => rmSync(packaged, { recursive: true, force: true }));

  test('from the installed package, deploys the packaged bundle as it is, hashed by its bytes', () => {
    writeFileSync(path.join(packaged, 'index.mjs'), 'export const handler = async () => 1;\n');
    const first = deployedCode(shippedHandlerCode('TestFunction', FIXTURE_ENTRY, packaged, true)).S3Key;
    writeFileSync(path.join(packaged, 'index.mjs'), 'export const handler = async () => 2;\n');
    const second = deployedCode(shippedHandlerCode('TestFunction', FIXTURE_ENTRY, packaged, true)).S3Key;
    expect(first).toMatch(/^[0-9a-f]{64}\.zip$/);
    expect(second).not.toBe(first);
  });

  test('from the installed package, a missing bundle is an error naming the construct and the file', () => {
    const missing = path.join(packaged, 'not-built');
    expect(() => shippedHandlerCode('TestFunction', FIXTURE_ENTRY, missing, true)).toThrow(
      `TestFunction: the packaged handler bundle ${path.join(missing, 'index.mjs')} is missing; reinstall the package`,
    );
  });

  test("from this project's sources, bundles the entry during synth (no packaged bundle needed)", () => {
    const missing = path.join(packaged, 'not-built');
    expect(deployedCode(shippedHandlerCode('TestFunction', FIXTURE_ENTRY, missing, false)).S3Key).toMatch(
      /^[0-9a-f]{64}\.zip$/,
    );
  });
});
