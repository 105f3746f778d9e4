export function assertNever(value: never): never {
  throw new Error(`unexpected node ${JSON.stringify(value)}`);
}

/** An own property of a plain object (never one inherited from Object.prototype). */
export function ownProperty(object: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
