import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';

/** What a user chooses about a table of the package's; everything else is a secure default. */
export interface TableProtectionProps {
  readonly removalPolicy?: RemovalPolicy;
  readonly deletionProtection?: boolean;
  readonly encryptionKey?: kms.IKey;
}

/**
 * The settings every table of the package shares: on-demand, point-in-time recovery on,
 * retained and protected from deletion unless the user chooses to destroy it, and
 * encrypted with the user's key when one is given.
 */
export function secureTableProps(props: TableProtectionProps) {
  return {
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: props.encryptionKey ? dynamodb.TableEncryption.CUSTOMER_MANAGED : undefined,
    encryptionKey: props.encryptionKey,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    deletionProtection: props.deletionProtection ?? props.removalPolicy !== RemovalPolicy.DESTROY,
  } satisfies Partial<dynamodb.TableProps>;
}
