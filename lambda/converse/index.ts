import { containerDependenciesFromEnvironment } from './dependencies.js';
import { createConverseHandler } from './handler.js';

/** The converse function's entry: a response-streaming Function URL handler. */
export const handler = awslambda.streamifyResponse(createConverseHandler(containerDependenciesFromEnvironment));
