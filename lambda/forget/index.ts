export { handler, parseForgetRequest, forgetTargetFromEnvironment, type ForgetRequest } from './handler.js';
export {
  DEFAULT_SECOND_SWEEP_DELAY_SECONDS,
  actorPrefixes,
  forgetTargetErrors,
  forgetUser,
  type ForgetClients,
  type ForgetOptions,
  type ForgetTarget,
} from './forget-user.js';
export { formatForgetReport, type ForgetFailure, type ForgetReport, type SweepCounts } from './report.js';
export { DEFAULT_RETRY_POLICY, isRetryable, type RetryPolicy } from './retry.js';
