import { Token } from 'aws-cdk-lib';
import { namespaceLayoutErrors, namespaceTemplateErrors } from '../../lambda/contract/index.js';
import { withoutCustomVariables } from '../memory/memory-namespaces.js';

/**
 * The problems of one namespace template, each prefixed with `field` when given. A
 * template that is still a token is resolved only at deploy time and passes.
 * `customVariables` are the memory's namespace keys, each allowed as a segment after `{actorId}`.
 */
export function templateErrors(template: string, field?: string, customVariables: readonly string[] = []): string[] {
  if (Token.isUnresolved(template)) return [];
  const errors = namespaceTemplateErrors(template, customVariables);
  return field === undefined ? errors : errors.map((error) => `${field}: ${error}`);
}

/**
 * The templates as one layout: no actor's namespaces may cover another actor's, for any
 * two actorIds (an actorId can equal any literal segment). Templates still tokens are left
 * out; each template's own problems are reported on their own. A template with a custom
 * variable is checked cut before it: isolation rests on the part before `{actorId}`, which
 * the cut keeps whole.
 */
export function layoutErrors(field: string, templates: readonly string[]): string[] {
  return namespaceLayoutErrors(
    templates.filter((template) => !Token.isUnresolved(template)).map(withoutCustomVariables),
  ).map((error) => `${field}: ${error}`);
}
