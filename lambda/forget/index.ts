/**
 * The forget module's parts, for its tests: the function's bundle starts at `handler.ts`,
 * and users reach `forgetUser` through the runtime entry.
 */
export { handler, forgetTargetFromEnvironment, type ForgetContext } from './handler.js';
export { ForgetRequestError, parseForgetRequest, type ForgetRequest } from './request.js';
export { DEFAULT_MAX_SWEEPS, forgetUser, type ForgetClients, type ForgetOptions } from './forget-user.js';
export {
  COMMON_ROOT_TEMPLATES,
  actorPrefixes,
  forgetTargetErrors,
  namespaceRootsFor,
  type ForgetTarget,
} from './target.js';
export { recordsToDelete, type ListedRecord, type RecordToDelete } from './sweep-records.js';
export {
  formatForgetReport,
  type AlreadyGoneCounts,
  type ForgetFailure,
  type ForgetReport,
  type PendingExtraction,
  type SweepCounts,
} from './report.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../platform/retry.js';
