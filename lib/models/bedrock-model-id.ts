import { Stack } from 'aws-cdk-lib';

/**
 * Prefixes of Bedrock cross-region (system-defined) inference profiles: `us.`, `eu.`,
 * `apac.`, `global.` and the newer geographic ones. A model id starting with one of these
 * names an inference profile, which routes each request to the underlying foundation model
 * in one of several regions.
 */
export const CROSS_REGION_INFERENCE_PREFIXES = ['us', 'us-gov', 'eu', 'apac', 'jp', 'au', 'ca', 'global'] as const;

/** `provider.model-name[:version...]`, for example `anthropic.claude-3-5-haiku-20241022-v1:0`. */
const FOUNDATION_MODEL_ID_PATTERN = /^[a-z0-9][a-z0-9-]*\.[a-zA-Z0-9][a-zA-Z0-9._-]*(?::[a-zA-Z0-9]+)*$/;

export type BedrockModelKind = 'foundation-model' | 'inference-profile';

export interface BedrockModelId {
  /** The id as configured. */
  readonly id: string;
  readonly kind: BedrockModelKind;
  /** The foundation model that serves the requests: the id itself, or the id without its profile prefix. */
  readonly foundationModelId: string;
}

/** Parses a Bedrock model or cross-region inference profile id; undefined when malformed. */
export function parseBedrockModelId(id: string): BedrockModelId | undefined {
  const [firstSegment, ...rest] = id.split('.');
  // No provider is named like a profile prefix, so `us.x` is a profile missing its provider.
  const isProfile = (CROSS_REGION_INFERENCE_PREFIXES as readonly string[]).includes(firstSegment);
  if (isProfile && rest.length < 2) return undefined;
  const foundationModelId = isProfile ? rest.join('.') : id;
  if (!FOUNDATION_MODEL_ID_PATTERN.test(foundationModelId)) return undefined;
  return { id, kind: isProfile ? 'inference-profile' : 'foundation-model', foundationModelId };
}

/** Why the id is not a Bedrock model or inference profile id; undefined when it is one. */
export function bedrockModelIdError(id: string): string | undefined {
  if (parseBedrockModelId(id)) return undefined;
  return (
    `'${id}' is not a Bedrock model id: use 'provider.model-name[:version]' such as ` +
    `'anthropic.claude-3-5-haiku-20241022-v1:0', or a cross-region inference profile id with one of the prefixes ` +
    `${CROSS_REGION_INFERENCE_PREFIXES.map((prefix) => `'${prefix}.'`).join(', ')}`
  );
}

/**
 * The ARNs `bedrock:InvokeModel*` needs for one model, in the given stack's partition,
 * region and account. An inference profile needs the profile itself and the underlying
 * foundation model in every region the profile may route to; AWS does not publish that
 * list as a stable set, hence the region wildcard.
 */
export function bedrockInvokeResourceArns(stack: Stack, model: BedrockModelId): string[] {
  const foundationModelArn = (region: string) =>
    `arn:${stack.partition}:bedrock:${region}::foundation-model/${model.foundationModelId}`;
  if (model.kind === 'foundation-model') return [foundationModelArn(stack.region)];
  return [
    `arn:${stack.partition}:bedrock:${stack.region}:${stack.account}:inference-profile/${model.id}`,
    foundationModelArn('*'),
  ];
}
