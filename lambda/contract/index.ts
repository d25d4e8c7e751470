export * from './agent-definition';
export * from './environment';
export * from './identifiers';
export * from './namespaces';
export * from './session-table';
