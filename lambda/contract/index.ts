export * from './agent-definition.js';
export * from './environment.js';
export * from './identifiers.js';
export * from './metrics.js';
export * from './namespaces.js';
export * from './session-table.js';
export * from './unicode.js';
