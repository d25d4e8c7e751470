import { containerDependenciesFromEnvironment } from './dependencies';
import { createConverseHandler } from './handler';

/** The converse function's entry: a response-streaming Function URL handler. */
export const handler = awslambda.streamifyResponse(createConverseHandler(containerDependenciesFromEnvironment));
