import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import {
  AGENT_DEFINITION_RUNTIME_ACTIONS,
  AgentMemoryPerms,
  BEDROCK_INVOKE_ACTIONS,
  SESSION_FORGET_ACTIONS,
  SESSION_RUNTIME_ACTIONS,
} from '../../lib/index.js';

/**
 * The grants are "exactly what the runtime uses": these tests read the runtime's source
 * and fail when it starts (or stops) calling an API the grants do not match.
 */
const LAMBDA = path.join(__dirname, '..', '..', 'lambda');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [file] : [];
  });
}

/** `XCommand` names imported from the given packages, per file. */
function importedCommands(file: string, packages: RegExp): string[] {
  const source = readFileSync(file, 'utf8');
  const imports = [...source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g)];
  return imports
    .filter(([, , from]) => packages.test(from))
    .flatMap(([, names]) => names.split(','))
    .map(
      (name) =>
        name
          .trim()
          .replace(/^type\s+/, '')
          .split(/\s+as\s+/)[0],
    )
    .flatMap((name) => {
      if (/^[A-Z]\w*Command$/.test(name)) return [name];
      // The SDK's paginators send the operation's command: paginateListEvents sends ListEventsCommand.
      const paginated = /^paginate([A-Z]\w*)$/.exec(name)?.[1];
      return paginated === undefined ? [] : [`${paginated}Command`];
    });
}

describe('the source scan sees every AWS call', () => {
  test('the runtime imports SDK commands only by name, so the scans below cannot miss one', () => {
    // `import * as sdk` or `require(...)` would hide `new sdk.ListEventsCommand(...)` from importedCommands.
    const hidden = sourceFiles(LAMBDA).filter((file) =>
      /import\s+(?:type\s+)?(?:\*\s+as\s+\w+|\w+)\s*(?:,\s*\{[^}]*\})?\s*from\s*['"]@aws-sdk\/|require\(\s*['"]@aws-sdk\//.test(
        readFileSync(file, 'utf8'),
      ),
    );
    expect(hidden.map((file) => path.relative(LAMBDA, file))).toEqual([]);
  });
});

const DYNAMODB_PACKAGES = /^@aws-sdk\/(lib-dynamodb|client-dynamodb)$/;
/** Document-client and low-level command names to the IAM action each needs. */
const DYNAMODB_ACTION: Record<string, string> = {
  GetCommand: 'dynamodb:GetItem',
  GetItemCommand: 'dynamodb:GetItem',
  PutCommand: 'dynamodb:PutItem',
  PutItemCommand: 'dynamodb:PutItem',
  UpdateCommand: 'dynamodb:UpdateItem',
  UpdateItemCommand: 'dynamodb:UpdateItem',
  DeleteCommand: 'dynamodb:DeleteItem',
  DeleteItemCommand: 'dynamodb:DeleteItem',
  QueryCommand: 'dynamodb:Query',
  ScanCommand: 'dynamodb:Scan',
  BatchGetCommand: 'dynamodb:BatchGetItem',
  BatchGetItemCommand: 'dynamodb:BatchGetItem',
  BatchWriteCommand: 'dynamodb:BatchWriteItem',
  BatchWriteItemCommand: 'dynamodb:BatchWriteItem',
  TransactGetCommand: 'dynamodb:TransactGetItems',
  TransactGetItemsCommand: 'dynamodb:TransactGetItems',
  TransactWriteCommand: 'dynamodb:TransactWriteItems',
  TransactWriteItemsCommand: 'dynamodb:TransactWriteItems',
};

function dynamoDbActions(relativeFile: string): string[] {
  return importedCommands(path.join(LAMBDA, relativeFile), DYNAMODB_PACKAGES).map((command) => {
    const action = DYNAMODB_ACTION[command];
    if (!action) throw new Error(`${relativeFile} imports ${command}: add its IAM action to this test`);
    return action;
  });
}

describe('DynamoDB grants match the converse runtime', () => {
  test('only the agent repository and the session store call DynamoDB', () => {
    const callers = sourceFiles(path.join(LAMBDA, 'converse'))
      .filter((file) => importedCommands(file, DYNAMODB_PACKAGES).length > 0)
      .map((file) => path.relative(LAMBDA, file))
      .sort();
    expect(callers).toEqual(['converse/agents/repository.ts', 'converse/sessions/store.ts']);
  });

  test('the agent table grant is exactly what the agent repository calls', () => {
    expect([...new Set(dynamoDbActions('converse/agents/repository.ts'))].sort()).toEqual(
      [...AGENT_DEFINITION_RUNTIME_ACTIONS].sort(),
    );
  });

  test('the session table grant is exactly what the session store calls', () => {
    expect([...new Set(dynamoDbActions('converse/sessions/store.ts'))].sort()).toEqual(
      [...SESSION_RUNTIME_ACTIONS].sort(),
    );
  });
});

describe('AgentCore grants match the runtime', () => {
  const AGENTCORE_PACKAGE = /^@aws-sdk\/client-bedrock-agentcore$/;
  const actionsIn = (dir: string) =>
    new Set(
      sourceFiles(path.join(LAMBDA, dir)).flatMap((file) =>
        importedCommands(file, AGENTCORE_PACKAGE).map(
          (command) => `bedrock-agentcore:${command.replace(/Command$/, '')}`,
        ),
      ),
    );

  test('every AgentCore call of the runtime modules is covered by grantAgentRuntime or grantSessionRestore', () => {
    const granted = [...AgentMemoryPerms.AGENT_RUNTIME_PERMS, ...AgentMemoryPerms.SESSION_RESTORE_PERMS].sort();
    expect([...new Set([...actionsIn('session-manager'), ...actionsIn('converse')])].sort()).toEqual(granted);
  });

  test('the converse runtime never restores a session, so grantAgentRuntime leaves out ListEvents', () => {
    const converseSources = sourceFiles(path.join(LAMBDA, 'converse')).map((file) => readFileSync(file, 'utf8'));
    // restore() and listMessages() are the session manager's two ways to send ListEvents.
    expect(converseSources.filter((source) => /\.(?:restore|listMessages)\s*\(|ListEvents/.test(source))).toEqual([]);
    expect(AgentMemoryPerms.AGENT_RUNTIME_PERMS).not.toContain('bedrock-agentcore:ListEvents');
    expect(AgentMemoryPerms.SESSION_RESTORE_PERMS).toEqual(['bedrock-agentcore:ListEvents']);
  });
});

describe('the forget grants match the forget runtime', () => {
  const FORGET = path.join(LAMBDA, 'forget');
  const commandsIn = (packages: RegExp) =>
    [...new Set(sourceFiles(FORGET).flatMap((file) => importedCommands(file, packages)))].sort();

  test('its AgentCore calls are exactly grantForget', () => {
    const actions = commandsIn(/^@aws-sdk\/client-bedrock-agentcore(-control)?$/).map(
      (command) => `bedrock-agentcore:${command.replace(/Command$/, '')}`,
    );
    expect(actions).toEqual([...AgentMemoryPerms.FORGET_PERMS].sort());
  });

  test('its DynamoDB calls are exactly the session table grant for forgetting', () => {
    const actions = [
      ...new Set(sourceFiles(FORGET).flatMap((file) => dynamoDbActions(path.relative(LAMBDA, file)))),
    ].sort();
    expect(actions).toEqual(
      [...new Set([...SESSION_FORGET_ACTIONS.table, ...SESSION_FORGET_ACTIONS.ownerIndex])].sort(),
    );
  });

  test('no other runtime module calls what only forgetting needs', () => {
    // BatchDeleteMemoryRecords is not among them: the memory tool's `forget` deletes the records a user asks to forget.
    const onlyForget = ['DeleteEvent', 'ListSessions', 'ListMemoryRecords'];
    const elsewhere = [path.join(LAMBDA, 'converse'), path.join(LAMBDA, 'session-manager')].flatMap((dir) =>
      sourceFiles(dir).flatMap((file) => importedCommands(file, /^@aws-sdk\//)),
    );
    expect(elsewhere.filter((command) => onlyForget.includes(command.replace(/Command$/, '')))).toEqual([]);
    expect(elsewhere).not.toContain('BatchWriteCommand');
  });
});

describe('the inspect grant matches the inspector library', () => {
  test('its AgentCore calls, data plane and control plane, are exactly grantInspect', () => {
    const actions = [
      ...new Set(
        sourceFiles(path.join(LAMBDA, 'inspector')).flatMap((file) =>
          importedCommands(file, /^@aws-sdk\/client-bedrock-agentcore(-control)?$/),
        ),
      ),
    ].map((command) => `bedrock-agentcore:${command.replace(/Command$/, '')}`);
    expect(actions.sort()).toEqual([...AgentMemoryPerms.INSPECT_PERMS].sort());
  });
});

describe('Bedrock grants match the runtime', () => {
  const BEDROCK_RUNTIME_PACKAGE = /^@aws-sdk\/client-bedrock-runtime$/;
  /** Bedrock Runtime command names to the IAM action each needs. */
  const BEDROCK_ACTION: Record<string, string> = {
    ConverseCommand: 'bedrock:InvokeModel',
    InvokeModelCommand: 'bedrock:InvokeModel',
    ConverseStreamCommand: 'bedrock:InvokeModelWithResponseStream',
    InvokeModelWithResponseStreamCommand: 'bedrock:InvokeModelWithResponseStream',
  };

  test('every Bedrock Runtime call of the converse runtime is one of the granted invoke actions', () => {
    const commands = [
      ...new Set(
        sourceFiles(path.join(LAMBDA, 'converse')).flatMap((file) => importedCommands(file, BEDROCK_RUNTIME_PACKAGE)),
      ),
    ];
    expect(commands).toEqual(['ConverseStreamCommand']);
    for (const command of commands) {
      const action = BEDROCK_ACTION[command];
      if (!action) throw new Error(`the runtime imports ${command}: add its IAM action to this test`);
      expect(BEDROCK_INVOKE_ACTIONS).toContain(action);
    }
  });
});
