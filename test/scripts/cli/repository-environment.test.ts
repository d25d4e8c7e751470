import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { repositoryEnvironment } from '../../../scripts/cli/repository-environment.js';

const ENVIRONMENT = { models: ['us.amazon.nova-lite-v1:0'], retainData: false };

describe('--env names the stacks as the app named them', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'repository-environment-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  const writeContext = (context: Record<string, unknown>) =>
    writeFileSync(path.join(directory, 'cdk.json'), JSON.stringify({ app: 'unused', context }));

  test('without a name prefix, the stateless stack is AgentMemory-<env>-Stateless', async () => {
    writeContext({ environments: { 'dev-eu': ENVIRONMENT } });
    const environment = await repositoryEnvironment('dev-eu', directory);
    expect(environment.statelessStackName).toBe('AgentMemory-dev-eu-Stateless');
    expect(environment.namePrefix).toBeUndefined();
  });

  test("with cdk.json's namePrefix, the stack name starts with it, as the app deployed it", async () => {
    writeContext({ namePrefix: 'team-a', environments: { dev: ENVIRONMENT } });
    const environment = await repositoryEnvironment('dev', directory);
    expect(environment.statelessStackName).toBe('team-a-AgentMemory-dev-Stateless');
    expect(environment.namePrefix).toBe('team-a');
  });

  test('an environment cdk.json does not define is a usage error naming the ones it does', async () => {
    writeContext({ environments: { dev: ENVIRONMENT, prod: ENVIRONMENT } });
    await expect(repositoryEnvironment('staging', directory)).rejects.toThrow(/--env 'staging'.*dev, prod/);
  });
});
