import {
  MASKED_ASSET_HASH,
  MASKED_ASSET_METADATA,
  MASKED_INLINE_SOURCE,
  templateForSnapshot,
} from './template-snapshot.js';

const hash = 'a1'.repeat(32);

describe('a template as its snapshot keeps it', () => {
  test('masks asset hashes in values and in keys', () => {
    expect(
      templateForSnapshot({
        Parameters: { [`AssetParameters${hash}S3Bucket`]: { Type: 'String' } },
        Code: { S3Bucket: { 'Fn::Sub': `cdk-assets-\${AWS::AccountId}/${hash}` }, S3Key: `${hash}.zip` },
      }),
    ).toEqual({
      Parameters: { [`AssetParameters${MASKED_ASSET_HASH}S3Bucket`]: { Type: 'String' } },
      Code: {
        S3Bucket: { 'Fn::Sub': `cdk-assets-\${AWS::AccountId}/${MASKED_ASSET_HASH}` },
        S3Key: '<asset-hash>.zip',
      },
    });
  });

  test("masks CDK's asset metadata and the source of an inline function, whatever their form", () => {
    expect(
      templateForSnapshot({
        Metadata: {
          'aws:cdk:path': 'dev/Stateless/Converse',
          'aws:asset:path': 'asset.x',
          'aws:asset:is-bundled': true,
        },
        Code: { ZipFile: { 'Fn::Join': ['', ["exports.handler = async () => '", { Ref: 'Table' }, "';"]] } },
      }),
    ).toEqual({
      Metadata: {
        'aws:cdk:path': 'dev/Stateless/Converse',
        'aws:asset:path': MASKED_ASSET_METADATA,
        'aws:asset:is-bundled': MASKED_ASSET_METADATA,
      },
      Code: { ZipFile: MASKED_INLINE_SOURCE },
    });
  });

  test('leaves everything else as it is, shorter hex strings and other types included', () => {
    const template = {
      Resources: { TableC65CA3E8: { Type: 'AWS::DynamoDB::Table', Properties: { TimeToLive: { Enabled: true } } } },
      Outputs: { Count: { Value: 3 }, Nothing: { Value: null }, List: { Value: ['a', 'b'] } },
    };
    expect(templateForSnapshot(template)).toEqual(template);
  });
});
