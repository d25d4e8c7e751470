import { Token } from 'aws-cdk-lib';
import { namespaceLayoutErrors, namespaceTemplateErrors } from '../../lambda/contract/index.js';

/**
 * The problems of one namespace template, each prefixed with `field` when given. A
 * template that is still a token is resolved only at deploy time and passes.
 */
export function templateErrors(template: string, field?: string): string[] {
  if (Token.isUnresolved(template)) return [];
  const errors = namespaceTemplateErrors(template);
  return field === undefined ? errors : errors.map((error) => `${field}: ${error}`);
}

/**
 * The templates as one layout: no actor's namespaces may cover another actor's, for any
 * two actorIds (an actorId can equal any literal segment). Templates still tokens are left
 * out; each template's own problems are reported on their own.
 */
export function layoutErrors(field: string, templates: readonly string[]): string[] {
  return namespaceLayoutErrors(templates.filter((template) => !Token.isUnresolved(template))).map(
    (error) => `${field}: ${error}`,
  );
}
