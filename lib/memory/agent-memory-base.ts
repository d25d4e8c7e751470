import { Resource, type IResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { RetrievalConfig } from '../../lambda/contract/index.js';
import { AgentMemoryPerms } from './agent-memory-perms.js';
import type { AgentMemoryNamespaces } from './strategy-options.js';

/** A memory the converse runtime can use: created by `AgentMemory` or imported. */
export interface IAgentMemory extends IResource {
  /** @attribute */
  readonly memoryId: string;
  /** @attribute */
  readonly memoryArn: string;
  /** Namespace template per strategy kind. */
  readonly namespaces: AgentMemoryNamespaces;
  /**
   * Every namespace template a strategy writes records to, episodic reflections included:
   * what forgetting a user sweeps.
   */
  readonly recordNamespaces: readonly string[];
  /**
   * What the runtime's `retrieve` searches: settings keyed by retrieval template
   * (`retrievalTemplateFor(namespace)`), ready for an agent's `memory_feature.retrieval`.
   */
  readonly retrievalConfig: RetrievalConfig;
  /**
   * The metadata keys long-term records can be filtered on (the memory's indexed keys);
   * `undefined` when not known, as for an imported memory that names none.
   */
  readonly indexedKeys?: readonly string[];
  /** Grants exactly {@link AgentMemoryPerms.AGENT_RUNTIME_PERMS} on this memory's ARN. */
  grantAgentRuntime(grantee: iam.IGrantable): iam.Grant;
  /**
   * Grants exactly {@link AgentMemoryPerms.SESSION_RESTORE_PERMS} on this memory's ARN,
   * for a runtime that rebuilds sessions with the session manager's `restore()`.
   */
  grantSessionRestore(grantee: iam.IGrantable): iam.Grant;
  /** Grants exactly {@link AgentMemoryPerms.FORGET_PERMS} on this memory's ARN, for the forget function. */
  grantForget(grantee: iam.IGrantable): iam.Grant;
  /**
   * Grants exactly {@link AgentMemoryPerms.INSPECT_PERMS} on this memory's ARN, for an
   * operator role that runs `agentcore-memory inspect` (reads, corrects, deletes and adds
   * records of one user).
   */
  grantInspect(grantee: iam.IGrantable): iam.Grant;
  /** Grants exactly {@link AgentMemoryPerms.EXTRACTION_JOB_PERMS} on this memory's ARN. */
  grantExtractionJobs(grantee: iam.IGrantable): iam.Grant;
}

/** Grants shared by created and imported memories. */
export abstract class AgentMemoryBase extends Resource implements IAgentMemory {
  abstract readonly memoryId: string;
  abstract readonly memoryArn: string;
  abstract readonly namespaces: AgentMemoryNamespaces;
  abstract readonly recordNamespaces: readonly string[];
  abstract readonly retrievalConfig: RetrievalConfig;

  grantAgentRuntime(grantee: iam.IGrantable): iam.Grant {
    return grantOnMemory(this.memoryArn, grantee, AgentMemoryPerms.AGENT_RUNTIME_PERMS);
  }

  grantSessionRestore(grantee: iam.IGrantable): iam.Grant {
    return grantOnMemory(this.memoryArn, grantee, AgentMemoryPerms.SESSION_RESTORE_PERMS);
  }

  grantForget(grantee: iam.IGrantable): iam.Grant {
    return grantOnMemory(this.memoryArn, grantee, AgentMemoryPerms.FORGET_PERMS);
  }

  grantInspect(grantee: iam.IGrantable): iam.Grant {
    return grantOnMemory(this.memoryArn, grantee, AgentMemoryPerms.INSPECT_PERMS);
  }

  grantExtractionJobs(grantee: iam.IGrantable): iam.Grant {
    return grantOnMemory(this.memoryArn, grantee, AgentMemoryPerms.EXTRACTION_JOB_PERMS);
  }
}

function grantOnMemory(memoryArn: string, grantee: iam.IGrantable, actions: readonly string[]): iam.Grant {
  return iam.Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns: [memoryArn] });
}
