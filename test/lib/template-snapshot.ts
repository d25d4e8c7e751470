/**
 * A synthesized template as its snapshot keeps it: what changes with the code of a
 * function rather than with the infrastructure is masked, so a snapshot changes only when
 * the infrastructure does. What the masked values must be is asserted on its own.
 *
 * Masked: asset hashes wherever they appear (an S3Key `<hash>.zip`, an asset parameter's
 * name, a `Fn::Sub` of an asset's location), the `aws:asset:*` metadata CDK records for
 * each asset, and the source of a function deployed inline (its `Code.ZipFile`).
 */

/** A content hash of an asset (SHA-256, as CDK names assets). */
const ASSET_HASH = /[0-9a-f]{64}/g;
const ASSET_METADATA_PREFIX = 'aws:asset:';

export const MASKED_ASSET_HASH = '<asset-hash>';
export const MASKED_ASSET_METADATA = '<asset-metadata>';
export const MASKED_INLINE_SOURCE = '<inline function source>';

/** A deep copy of `template` with asset hashes, asset metadata and inline function sources masked. */
export function templateForSnapshot(template: unknown): unknown {
  if (typeof template === 'string') return template.replace(ASSET_HASH, MASKED_ASSET_HASH);
  if (Array.isArray(template)) return template.map(templateForSnapshot);
  if (template === null || typeof template !== 'object') return template;
  return Object.fromEntries(
    Object.entries(template).map(([key, value]) => [
      key.replace(ASSET_HASH, MASKED_ASSET_HASH),
      maskedEntry(key, value),
    ]),
  );
}

function maskedEntry(key: string, value: unknown): unknown {
  if (key === 'ZipFile') return MASKED_INLINE_SOURCE;
  if (key.startsWith(ASSET_METADATA_PREFIX)) return MASKED_ASSET_METADATA;
  return templateForSnapshot(value);
}
