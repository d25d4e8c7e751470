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

/**
 * An application inference profile's ARN: a profile an account creates (to track cost or
 * usage) over a foundation model or a cross-region profile. Its id says nothing of the
 * model behind it.
 */
export const APPLICATION_INFERENCE_PROFILE_ARN_PATTERN =
  /^arn:aws[a-z-]*:bedrock:[a-z]{2}(?:-[a-z]+)+-\d+:\d{12}:application-inference-profile\/[a-zA-Z0-9]{1,64}$/;

export type BedrockModelKind = 'foundation-model' | 'inference-profile' | 'application-inference-profile';

export interface BedrockModelId {
  /** The id (or, for an application inference profile, the ARN) as configured. */
  readonly id: string;
  readonly kind: BedrockModelKind;
  /**
   * The foundation model that serves the requests: the id itself, or the id without its
   * profile prefix; `*` for an application inference profile, whose model is not in its ARN.
   */
  readonly foundationModelId: string;
}

/** Parses a Bedrock model id, cross-region inference profile id or application inference profile ARN; undefined when malformed. */
export function parseBedrockModelId(id: string): BedrockModelId | undefined {
  if (APPLICATION_INFERENCE_PROFILE_ARN_PATTERN.test(id)) {
    return { id, kind: 'application-inference-profile', foundationModelId: '*' };
  }
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
    `${CROSS_REGION_INFERENCE_PREFIXES.map((prefix) => `'${prefix}.'`).join(', ')}, or an application inference profile ARN ` +
    `'arn:aws:bedrock:<region>:<account>:application-inference-profile/<id>'`
  );
}

/** One grant of `bedrock:InvokeModel*`: resources, and the only inference profile they may be reached through. */
export interface BedrockInvokeGrant {
  readonly resources: string[];
  /**
   * The `bedrock:InferenceProfileArn` the request must carry: foundation models granted
   * for a profile are reachable through that profile only, not directly.
   * @default - no condition (a foundation model the function calls directly)
   */
  readonly throughInferenceProfile?: string;
}

/**
 * What `bedrock:InvokeModel*` needs for one model, in the given stack's partition, region
 * and account:
 * - a foundation model: the model in the stack's region;
 * - a cross-region inference profile: the profile, and its foundation model in every
 *   region (AWS does not publish the profile's regions as a stable set), the latter only
 *   through this profile;
 * - an application inference profile: the profile, and any foundation model in any region
 *   through this profile only (its ARN does not name the model; the condition confines the
 *   grant to what the profile routes to).
 */
export function bedrockInvokeGrants(stack: Stack, model: BedrockModelId): BedrockInvokeGrant[] {
  const foundationModelArn = (region: string, modelId: string) =>
    `arn:${stack.partition}:bedrock:${region}::foundation-model/${modelId}`;
  if (model.kind === 'foundation-model') {
    return [{ resources: [foundationModelArn(stack.region, model.foundationModelId)] }];
  }
  const profileArn =
    model.kind === 'application-inference-profile'
      ? model.id
      : `arn:${stack.partition}:bedrock:${stack.region}:${stack.account}:inference-profile/${model.id}`;
  return [
    { resources: [profileArn] },
    { resources: [foundationModelArn('*', model.foundationModelId)], throughInferenceProfile: profileArn },
  ];
}

/** Every ARN {@link bedrockInvokeGrants} grants for one model. */
export function bedrockInvokeResourceArns(stack: Stack, model: BedrockModelId): string[] {
  return bedrockInvokeGrants(stack, model).flatMap((grant) => grant.resources);
}
