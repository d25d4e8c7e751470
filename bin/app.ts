#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { configureAgentApp } from '../lib/index.js';

try {
  const app = new App();
  configureAgentApp(app);
  app.synth();
} catch (error) {
  // Configuration and construct errors already say what to change; a stack trace hides that.
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
