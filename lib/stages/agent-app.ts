import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { ENVIRONMENTS_CONTEXT_KEY, parseEnvironmentsContext } from '../config/environment-config.js';
import { EnvironmentStage } from './environment-stage.js';

/**
 * Adds one stage per environment in the `environments` context and registers the cdk-nag
 * AwsSolutions and Serverless packs, so every synth reports their findings.
 */
export function configureAgentApp(app: App): EnvironmentStage[] {
  const environments = parseEnvironmentsContext(app.node.tryGetContext(ENVIRONMENTS_CONTEXT_KEY));
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return environments.map((config) => new EnvironmentStage(app, config.name, { config }));
}
