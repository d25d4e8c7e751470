import { App, Stack } from 'aws-cdk-lib';
import {
  bedrockInvokeGrants,
  bedrockInvokeResourceArns,
  bedrockModelIdError,
  parseBedrockModelId,
} from '../../../lib/index.js';

describe('parseBedrockModelId', () => {
  test.each([
    ['anthropic.claude-3-5-haiku-20241022-v1:0', 'foundation-model', 'anthropic.claude-3-5-haiku-20241022-v1:0'],
    ['amazon.nova-pro-v1:0', 'foundation-model', 'amazon.nova-pro-v1:0'],
    ['anthropic.claude-3-haiku-20240307-v1:0:200k', 'foundation-model', 'anthropic.claude-3-haiku-20240307-v1:0:200k'],
    ['meta.llama3-1-70b-instruct-v1:0', 'foundation-model', 'meta.llama3-1-70b-instruct-v1:0'],
    ['us.anthropic.claude-sonnet-4-20250514-v1:0', 'inference-profile', 'anthropic.claude-sonnet-4-20250514-v1:0'],
    ['eu.amazon.nova-lite-v1:0', 'inference-profile', 'amazon.nova-lite-v1:0'],
    [
      'apac.anthropic.claude-3-5-sonnet-20240620-v1:0',
      'inference-profile',
      'anthropic.claude-3-5-sonnet-20240620-v1:0',
    ],
    [
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'inference-profile',
      'anthropic.claude-sonnet-4-5-20250929-v1:0',
    ],
    [
      'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4e5f6',
      'application-inference-profile',
      '*',
    ],
  ])('reads %s as a %s of %s', (id, kind, foundationModelId) => {
    expect(parseBedrockModelId(id)).toEqual({ id, kind, foundationModelId });
  });

  test.each([
    'claude',
    'anthropic',
    'Anthropic.claude-v2',
    'anthropic.claude v2',
    'us.claude',
    '.claude',
    'anthropic.',
    'us.anthropic.claude:',
    'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/',
    'arn:aws:bedrock:us-east-1:1111:application-inference-profile/a1b2c3d4e5f6',
  ])('rejects %s with a message that shows the expected form', (id) => {
    expect(parseBedrockModelId(id)).toBeUndefined();
    expect(bedrockModelIdError(id)).toContain("use 'provider.model-name[:version]'");
  });
});

describe('bedrockInvokeResourceArns', () => {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111122223333', region: 'us-east-1' } });
  const arns = (id: string) =>
    bedrockInvokeResourceArns(stack, parseBedrockModelId(id)!).map((arn) => stack.resolve(arn));
  const joined = (text: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, text]] });

  test('a foundation model id grants the model in this region only', () => {
    expect(arns('amazon.nova-pro-v1:0')).toEqual([joined(':bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0')]);
  });

  test('an inference profile grants the profile here and its model in every region', () => {
    expect(arns('us.anthropic.claude-sonnet-4-20250514-v1:0')).toEqual([
      joined(':bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0'),
      joined(':bedrock:*::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0'),
    ]);
  });
});

describe('bedrockInvokeGrants', () => {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111122223333', region: 'us-east-1' } });
  const grants = (id: string) =>
    bedrockInvokeGrants(stack, parseBedrockModelId(id)!).map((grant) => stack.resolve(grant) as unknown);
  const joined = (text: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, text]] });

  test("a profile's foundation model is reachable only through that profile", () => {
    const profile = joined(':bedrock:us-east-1:111122223333:inference-profile/eu.amazon.nova-lite-v1:0');
    expect(grants('eu.amazon.nova-lite-v1:0')).toEqual([
      { resources: [profile] },
      { resources: [joined(':bedrock:*::foundation-model/amazon.nova-lite-v1:0')], throughInferenceProfile: profile },
    ]);
  });

  test('an application inference profile grants itself, and any foundation model only through it', () => {
    const arn = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4e5f6';
    expect(grants(arn)).toEqual([
      { resources: [arn] },
      { resources: [joined(':bedrock:*::foundation-model/*')], throughInferenceProfile: arn },
    ]);
  });

  test('a foundation model has no condition', () => {
    expect(grants('amazon.nova-pro-v1:0')).toEqual([
      { resources: [joined(':bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0')] },
    ]);
  });
});
