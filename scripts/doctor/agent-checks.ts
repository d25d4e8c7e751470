/**
 * Agent items against the memories they name: the memory exists and is ACTIVE, and each
 * item's retrieval finds records and keeps users apart.
 */
import { memoryFeatureSchema, namespaceLayoutErrors } from '../../lambda/contract/index.js';
import type { DeployedMemory, DeployedStrategy } from './deployed.js';
import { ok, type Finding } from './finding.js';

/**
 * Whether a retrieval prefix finds records some strategy writes: the prefix must be a
 * leading part of a strategy's template (its `{memoryStrategyId}` filled in with the
 * strategy's id). Retrieval matches namespaces by prefix, so a prefix no template starts
 * with always retrieves nothing.
 */
export function retrievalTemplateIsWritten(retrievalTemplate: string, strategies: DeployedStrategy[]): boolean {
  return strategies.some((strategy) =>
    strategy.namespaceTemplates.some((template) =>
      template.replaceAll('{memoryStrategyId}', strategy.strategyId).startsWith(retrievalTemplate),
    ),
  );
}

export interface AgentItemContext {
  /** GetMemory's answer per memory id the items name (undefined: no such memory). */
  readonly memories: ReadonlyMap<string, DeployedMemory | undefined>;
}

/** Every agent item whose `memory_feature` is enabled: its memory exists, is ACTIVE, and its retrieval finds records. */
export function checkAgentItems(items: Record<string, unknown>[], context: AgentItemContext): Finding[] {
  const findings: Finding[] = [];
  for (const item of items) {
    const agentId = typeof item.agent_id === 'string' ? item.agent_id : JSON.stringify(item.agent_id);
    if (item.memory_feature === undefined) continue;
    const parsed = memoryFeatureSchema.safeParse(item.memory_feature);
    if (!parsed.success) {
      findings.push({
        check: 'agent.memoryFeature',
        status: 'drift',
        subject: agentId,
        message: `agent ${agentId}: memory_feature is invalid (${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'memory_feature'}: ${issue.message}`).join('; ')}); the function will reject this agent`,
      });
      continue;
    }
    const feature = parsed.data;
    if (!feature.enabled) continue;
    if (!feature.memory_id) {
      findings.push({
        check: 'agent.memoryId',
        status: 'drift',
        subject: agentId,
        message: `agent ${agentId}: memory_feature.enabled is true but memory_id is empty, so the function runs it without memory; set memory_id`,
      });
      continue;
    }
    const memory = context.memories.get(feature.memory_id);
    if (!memory) {
      findings.push({
        check: 'agent.memoryExists',
        status: 'drift',
        subject: agentId,
        deployed: feature.memory_id,
        message: `agent ${agentId}: memory ${feature.memory_id} does not exist; point memory_id at a deployed memory`,
      });
      continue;
    }
    findings.push(
      memory.status === 'ACTIVE'
        ? ok('agent.memoryActive', `agent ${agentId}: memory ${memory.id} exists and is ACTIVE`, agentId)
        : {
            check: 'agent.memoryActive',
            status: 'drift',
            subject: agentId,
            expected: 'ACTIVE',
            deployed: memory.status,
            message: `agent ${agentId}: memory ${memory.id} is ${memory.status}, not ACTIVE`,
          },
    );
    // Without `retrieval` of its own the item searches every strategy's default namespace,
    // episodes included; one this memory has no strategy for is worth a note, not drift.
    const usesDefaults = (item.memory_feature as { retrieval?: unknown }).retrieval === undefined;
    findings.push(retrievalIsolation(agentId, Object.keys(feature.retrieval), memory));
    for (const template of Object.keys(feature.retrieval)) {
      findings.push(
        retrievalTemplateIsWritten(template, memory.strategies)
          ? ok('agent.retrieval', `agent ${agentId}: retrieves ${template}, which a strategy writes`, agentId)
          : usesDefaults
            ? {
                check: 'agent.retrieval',
                status: 'unknown',
                subject: agentId,
                deployed: template,
                message: `agent ${agentId}: the default retrieval also searches ${template}, which no strategy of memory ${memory.id} writes: one retrieval that finds nothing; set memory_feature.retrieval to leave it out`,
              }
            : {
                check: 'agent.retrieval',
                status: 'drift',
                subject: agentId,
                expected: memory.strategies.flatMap((strategy) => strategy.namespaceTemplates),
                deployed: template,
                message: `agent ${agentId}: retrieves ${template}, which no strategy of memory ${memory.id} writes, so it always finds nothing; use a prefix of ${memory.strategies.flatMap((s) => s.namespaceTemplates).join(', ')}`,
              },
      );
    }
  }
  if (findings.length === 0) findings.push(ok('agent.items', 'no agent item has memory enabled'));
  return findings;
}

/**
 * An item's retrieval templates together with its memory's record templates must keep
 * users apart: the function sees only the item, so a hand-written item is checked here.
 */
function retrievalIsolation(agentId: string, retrieval: readonly string[], memory: DeployedMemory): Finding {
  const recordTemplates = memory.strategies.flatMap((strategy) =>
    strategy.namespaceTemplates.map((template) => template.replaceAll('{memoryStrategyId}', strategy.strategyId)),
  );
  const errors = namespaceLayoutErrors([...recordTemplates, ...retrieval]);
  if (errors.length === 0) {
    return ok(
      'agent.isolation',
      `agent ${agentId}: its retrieval and memory ${memory.id}'s layout keep users apart`,
      agentId,
    );
  }
  return {
    check: 'agent.isolation',
    status: 'drift',
    subject: agentId,
    deployed: retrieval,
    message: `agent ${agentId}: its retrieval with memory ${memory.id}'s namespaces could show one user another's memories: ${errors.join('; ')}`,
  };
}
