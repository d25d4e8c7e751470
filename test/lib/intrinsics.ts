/**
 * Renders an `Fn::Join` of literals and intrinsics to one string, each intrinsic written
 * as `${Ref:Id}` or `${GetAtt:Id.Attr}`, so that JSON built with tokens (the Create and
 * Update properties of an AwsCustomResource) can be parsed and compared exactly.
 */
export function renderJoin(value: unknown): string {
  if (typeof value === 'string') return value;
  const object = value as Record<string, unknown>;
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map(renderJoin).join(separator);
  }
  if ('Ref' in object) return `\${Ref:${String(object.Ref)}}`;
  if ('Fn::GetAtt' in object) return `\${GetAtt:${(object['Fn::GetAtt'] as string[]).join('.')}}`;
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}
