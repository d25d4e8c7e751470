import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';

/**
 * Registers the cdk-nag AwsSolutions and Serverless packs, so every synth of the app
 * reports their findings (and an error finding fails it). Part of the app, not of the
 * construct library: the constructs acknowledge findings with aws-cdk-lib's own
 * `Validations` (and cdk-nag 2's `cdk_nag` metadata), so using them needs no cdk-nag.
 */
export function addNagPacks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
}
