import type { Finding } from './finding.js';
import { all, decide, type Decision, type PolicyStatement } from './role-policy.js';

/** What ConverseStream needs on the model (or inference profile) an agent names. */
const MODEL_ACTION = 'bedrock:InvokeModelWithResponseStream';
/** What the converse function calls on an agent's memory on every turn. */
const MEMORY_ACTIONS = ['bedrock-agentcore:CreateEvent', 'bedrock-agentcore:RetrieveMemoryRecords'];

/** The deployed converse function, as far as its permissions are concerned. */
export interface FunctionAccess {
  readonly functionName: string;
  /** `arn:<partition>:lambda:<region>:<account>:function:<name>`: where its models and memories are. */
  readonly functionArn: string;
  readonly roleArn: string;
  readonly statements: readonly PolicyStatement[];
}

/**
 * Each agent item's `foundation_model` and (memory enabled) `memory_id` against what the
 * function's role may call: a model or memory it may not use fails every turn with
 * AccessDenied at run time.
 */
export function checkAgentPermissions(items: Record<string, unknown>[], access: FunctionAccess): Finding[] {
  const [, partition, , region, account] = access.functionArn.split(':');
  const findings: Finding[] = [];
  for (const item of items) {
    const agentId = typeof item.agent_id === 'string' ? item.agent_id : JSON.stringify(item.agent_id);
    if (typeof item.foundation_model === 'string' && item.foundation_model !== '') {
      const model = item.foundation_model;
      findings.push(
        finding(
          'agent.model',
          agentId,
          modelDecision(access.statements, model, partition, region, account),
          `model ${model}`,
          `add it to the function's models (and redeploy), or point the agent at one of them`,
        ),
      );
    }
    const feature = item.memory_feature as { enabled?: unknown; memory_id?: unknown } | undefined;
    if (feature?.enabled === true && typeof feature.memory_id === 'string' && feature.memory_id !== '') {
      const memoryArn = `arn:${partition}:bedrock-agentcore:${region}:${account}:memory/${feature.memory_id}`;
      findings.push(
        finding(
          'agent.memoryGranted',
          agentId,
          all(MEMORY_ACTIONS.map((action) => decide(access.statements, action, memoryArn))),
          `memory ${feature.memory_id}`,
          `grant the function's role ${MEMORY_ACTIONS.join(' and ')} on it (the construct grants its own memory only), or point the agent at that memory`,
        ),
      );
    }
  }
  return findings.map((entry) => ({ ...entry, message: `${entry.message} (role ${access.roleArn})` }));
}

/**
 * A model id is allowed as a foundation model (`foundation-model/<id>` in the function's
 * region) or as a cross-region inference profile (`inference-profile/<id>` and the
 * foundation model it names, the id without its first segment, in some region); an ARN
 * is checked as it is.
 */
function modelDecision(
  statements: readonly PolicyStatement[],
  model: string,
  partition: string,
  region: string,
  account: string,
): Decision {
  if (model.startsWith('arn:')) return decide(statements, MODEL_ACTION, model);
  const asFoundationModel = decide(
    statements,
    MODEL_ACTION,
    `arn:${partition}:bedrock:${region}::foundation-model/${model}`,
  );
  const dot = model.indexOf('.');
  const asProfile = all([
    decide(statements, MODEL_ACTION, `arn:${partition}:bedrock:${region}:${account}:inference-profile/${model}`),
    decide(statements, MODEL_ACTION, `arn:${partition}:bedrock:${region}::foundation-model/${model.slice(dot + 1)}`),
  ]);
  const order: Decision[] = ['allowed', 'conditional', 'denied'];
  return order[Math.min(order.indexOf(asFoundationModel), order.indexOf(asProfile))];
}

function finding(check: string, agentId: string, decision: Decision, what: string, fix: string): Finding {
  if (decision === 'allowed') {
    return { check, status: 'ok', subject: agentId, message: `agent ${agentId}: the function may use ${what}` };
  }
  if (decision === 'conditional') {
    return {
      check,
      status: 'unknown',
      subject: agentId,
      message: `agent ${agentId}: the function may use ${what} only under a policy condition, which the doctor does not evaluate`,
    };
  }
  return {
    check,
    status: 'drift',
    subject: agentId,
    deployed: what,
    message: `agent ${agentId}: the function's role may not use ${what}, so its turns fail with AccessDenied; ${fix}`,
  };
}
