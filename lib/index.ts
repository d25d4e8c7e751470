export * from './agent-definitions/agent-definition-table';
export * from './config/environment-config';
export * from './converse/converse-function';
export * from './memory/agent-memory';
export * from './models/bedrock-model-id';
export * from './sessions/session-history-table';
export * from './stages/agent-app';
export * from './stages/environment-stage';
