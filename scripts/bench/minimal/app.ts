// The smallest app that does what ours does at its core: one L2 AgentCore Memory and one
// NodejsFunction. `npm run bench` synthesizes it beside the real app to compare times.
import { App, Stack } from 'aws-cdk-lib';
import { Memory } from 'aws-cdk-lib/aws-bedrockagentcore';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { join } from 'node:path';

const app = new App();
const stack = new Stack(app, 'MinimalMemoryApp');
new Memory(stack, 'Memory', { memoryName: 'minimal_memory' });
new NodejsFunction(stack, 'Function', {
  entry: join(__dirname, 'handler.ts'),
  runtime: Runtime.NODEJS_24_X,
});
app.synth();
