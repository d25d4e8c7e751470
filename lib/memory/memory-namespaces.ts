import { Token } from 'aws-cdk-lib';
import {
  MEMORY_STRATEGY_KINDS,
  NAMESPACE_VARIABLES,
  RETRIEVAL_DEFAULTS,
  retrievalSettingsToItem,
  retrievalTemplateFor,
  type RetrievalConfig,
} from '../../lambda/contract/index.js';
import type { AgentMemoryNamespaces } from './strategy-options.js';

/*
 * What a memory's namespace templates mean for the runtime: where it retrieves from and
 * what forgetting a user sweeps. Shared by the memory this app creates and one it imports.
 */

/** The template cut after its `{actorId}` segment: the actor's level of the hierarchy. */
export function actorLevelTemplate(template: string): string {
  const segments = template.slice(1, -1).split('/');
  const actorSegment = segments.indexOf('{actorId}');
  return actorSegment === -1 ? template : `/${segments.slice(0, actorSegment + 1).join('/')}/`;
}

/**
 * The template a strategy is retrieved from. Episodic retrieval searches from the
 * reflection level, a prefix of the episodes, so it finds both.
 */
export function retrievalTemplateOf(strategy: { namespace: string; reflectionNamespace?: string }): string {
  const namespace = strategy.reflectionNamespace ?? strategy.namespace;
  return Token.isUnresolved(namespace) ? namespace : retrievalTemplateFor(namespace);
}

/** Each namespace's retrieval template with the default settings of its kind. */
export function defaultRetrievalConfigFor(
  namespaces: AgentMemoryNamespaces,
  reflectionNamespace?: string,
): RetrievalConfig {
  const config: RetrievalConfig = {};
  for (const kind of MEMORY_STRATEGY_KINDS) {
    const namespace = namespaces[kind];
    if (namespace === undefined) continue;
    const template = retrievalTemplateOf({
      namespace,
      reflectionNamespace: kind === 'episodic' ? reflectionNamespace : undefined,
    });
    config[template] = retrievalSettingsToItem(RETRIEVAL_DEFAULTS[kind]);
  }
  return config;
}

/**
 * Every template a strategy writes records to, reflections included, each once. A template
 * with a custom namespace variable is given cut before it: the runtime knows only the
 * built-in variables, and a custom one always follows `{actorId}`, so the cut template
 * still holds every record of the actor under it.
 */
export function recordNamespacesOf(namespaces: AgentMemoryNamespaces, reflectionNamespace?: string): string[] {
  const templates = MEMORY_STRATEGY_KINDS.flatMap((kind) => namespaces[kind] ?? []);
  const all = reflectionNamespace === undefined ? templates : [...templates, reflectionNamespace];
  return [...new Set(all.map(withoutCustomVariables))];
}

/** The template cut before its first segment that is a variable of the memory's own, if any. */
export function withoutCustomVariables(template: string): string {
  if (Token.isUnresolved(template)) return template;
  const segments = template.slice(1, -1).split('/');
  const firstCustom = segments.findIndex(
    (segment) => /^\{.*\}$/.test(segment) && !(NAMESPACE_VARIABLES as readonly string[]).includes(segment.slice(1, -1)),
  );
  return firstCustom === -1 ? template : `/${segments.slice(0, firstCustom).join('/')}/`;
}
