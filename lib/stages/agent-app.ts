import type { App } from 'aws-cdk-lib';
import { ENVIRONMENTS_CONTEXT_KEY, parseEnvironmentsContext } from '../config/environment-config.js';
import { EnvironmentStage } from './environment-stage.js';

/** Adds one stage per environment in the `environments` context (validated first, every problem at once). */
export function configureAgentApp(app: App): EnvironmentStage[] {
  const environments = parseEnvironmentsContext(app.node.tryGetContext(ENVIRONMENTS_CONTEXT_KEY));
  return environments.map((config) => new EnvironmentStage(app, config.name, { config }));
}
