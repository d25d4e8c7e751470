import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { Writable } from 'node:stream';
import { logError } from '../platform/logging.js';
import type { ConverseDependencies } from './dependencies.js';
import { parseConverseRequest } from './http/request.js';
import { sendErrorResponse } from './http/responses.js';
import { MetricName, countMetric, logger, metrics } from './observability.js';
import { ToolRegistry, type CustomTool } from './tools/registry.js';
import { runConverseTurn } from './turn.js';

export type ConverseHandler = (
  event: APIGatewayProxyEventV2,
  responseStream: Writable,
  context: Context,
) => Promise<void>;

export interface ConverseHandlerOptions {
  /**
   * Tools of your own, offered to the model beside the memory tool and the built-in tools
   * (see `CustomTool`). Validated here, so a bad tool fails the function's cold start.
   * @default - none
   */
  readonly tools?: readonly CustomTool[];
}

/**
 * The Function URL handler: validates the request before anything else (a bad request
 * costs no AWS call), then runs the turn. Errors before streaming become a status with a
 * JSON body; errors after it become an `error` event (see `runConverseTurn`).
 * @throws ToolRegistryError when `options.tools` holds an invalid tool
 */
export function createConverseHandler(
  dependencies: () => ConverseDependencies,
  options: ConverseHandlerOptions = {},
): ConverseHandler {
  const registry = options.tools === undefined ? undefined : new ToolRegistry(options.tools);
  return async (event, responseStream, context) => {
    logger.addContext(context);
    try {
      const parsed = parseConverseRequest(event);
      if (parsed.status === 'refused') {
        logger.info('request rejected', { statusCode: 400, reason: parsed.reason });
        countMetric(MetricName.rejectedRequests);
        await sendErrorResponse(responseStream, 400, 'BadRequest', parsed.reason);
        return;
      }
      let turnDependencies: ConverseDependencies;
      try {
        turnDependencies = registry === undefined ? dependencies() : { ...dependencies(), tools: registry };
      } catch (error) {
        logError(logger, 'function is misconfigured', error);
        countMetric(MetricName.turnErrors);
        await sendErrorResponse(responseStream, 500, 'InternalError', 'The service is not configured correctly.');
        return;
      }
      await runConverseTurn(parsed.value, responseStream, context, turnDependencies);
    } finally {
      logger.resetKeys();
      metrics.publishStoredMetrics();
    }
  };
}
