/**
 * The one shape for "loaded, not found or refused": a lookup that can fail for a reason the
 * caller must handle says which, instead of returning `undefined` or throwing.
 */
export type Outcome<Value, Refusal extends string = string> =
  | { readonly status: 'loaded'; readonly value: Value }
  | { readonly status: 'notFound' }
  | { readonly status: 'refused'; readonly reason: Refusal };

export function loaded<Value>(value: Value): Outcome<Value, never> {
  return { status: 'loaded', value };
}

export const NOT_FOUND = { status: 'notFound' } as const;

export function refused<Refusal extends string>(reason: Refusal): Outcome<never, Refusal> {
  return { status: 'refused', reason };
}
