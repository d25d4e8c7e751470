export * from './agent-definitions/agent-definition-table.js';
export * from './config/environment-config.js';
export * from './converse/converse-function.js';
export * from './memory/agent-memory.js';
export * from './models/bedrock-model-id.js';
export * from './sessions/session-history-table.js';
export * from './stages/agent-app.js';
export * from './stages/environment-stage.js';
