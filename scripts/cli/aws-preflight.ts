/**
 * The region and credentials a command will use, resolved before any synth or network
 * call, so a missing one is reported at once with what to do.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

export interface AwsAccess {
  readonly region: string;
  /** The standard credential chain, already resolved once (so it is known to work). */
  readonly credentials: AwsCredentialIdentityProvider;
}

/** Why a command could not reach AWS, as a type and a message a person can act on. */
export interface Failure {
  readonly type: string;
  readonly message: string;
}

export class AwsAccessError extends Error {
  override readonly name = 'AwsAccessError';
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

/**
 * The region: `--region`, else the one the configuration names (cdk.json), else the SDK's
 * own chain (AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`). Then the credentials
 * through the SDK's default provider chain. Throws AwsAccessError when either is missing.
 */
export async function resolveAwsAccess(regionFlag?: string, configuredRegion?: string): Promise<AwsAccess> {
  let region = regionFlag ?? configuredRegion;
  if (region === undefined) {
    try {
      region = await new LambdaClient({}).config.region();
    } catch {
      region = undefined;
    }
  }
  if (!region) throw new AwsAccessError(NO_REGION);
  const credentials = defaultProvider();
  try {
    await credentials();
  } catch (error) {
    throw new AwsAccessError(describeAwsFailure(error));
  }
  return { region, credentials };
}

const NO_REGION: Failure = {
  type: 'NoRegion',
  message: "no AWS region: pass --region, export AWS_REGION, or set 'region' in your AWS profile",
};

/**
 * An AWS SDK error as a message that says what to do. `permissions` names what the command
 * needs, for AccessDenied.
 */
export function describeAwsFailure(error: unknown, permissions?: string): Failure {
  if (error instanceof AwsAccessError) return error.failure;
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return {
      type: 'NoCredentials',
      message: `no AWS credentials found (${message}); set AWS_PROFILE, run 'aws sso login', or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
    };
  }
  if (/^(ExpiredToken|ExpiredTokenException|RequestExpired)$/.test(name) || /token.*expired/i.test(message)) {
    return {
      type: 'ExpiredCredentials',
      message: `the AWS credentials have expired (${message}); refresh them and run again`,
    };
  }
  if (
    /^(SignatureDoesNotMatch|InvalidClientTokenId|UnrecognizedClientException|InvalidSignatureException)$/.test(name)
  ) {
    return {
      type: 'BadCredentials',
      message: `AWS did not accept the credentials (${message}); check AWS_PROFILE or the exported keys`,
    };
  }
  if (/^(AccessDenied|AccessDeniedException|UnauthorizedOperation)$/.test(name)) {
    return { type: 'AccessDenied', message: permissions ? `${message}; this needs ${permissions}` : message };
  }
  if (/Region is missing/i.test(message)) return NO_REGION;
  return { type: name, message };
}
