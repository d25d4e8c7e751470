#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { configureAgentApp } from '../lib/index.js';
import { addNagPacks } from './nag-packs.js';

try {
  const app = new App();
  configureAgentApp(app);
  addNagPacks(app);
  app.synth();
} catch (error) {
  // Configuration and construct errors already say what to change; a stack trace hides that.
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
