/**
 * AWS Chatbot's custom notification schema (fixtures/chatbot-custom-notification.schema.json,
 * written from the Administrator Guide) and a checker for the subset of JSON Schema it uses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SchemaNode {
  type?: string;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
}
export const chatSchema = JSON.parse(readFileSync(join(__dirname, 'fixtures/chatbot-custom-notification.schema.json'), 'utf8')) as SchemaNode;

/** What of the schema `value` breaks (the subset of JSON Schema the fixture uses). */
export function violations(value: unknown, node: SchemaNode, path = '$'): string[] {
  if (node.enum) return node.enum.includes(value) ? [] : [`${path}: not one of ${JSON.stringify(node.enum)}`];
  if (node.type === 'string') return typeof value === 'string' ? [] : [`${path}: not a string`];
  if (node.type === 'boolean') return typeof value === 'boolean' ? [] : [`${path}: not a boolean`];
  if (node.type === 'array') return Array.isArray(value) ? value.flatMap((v, i) => violations(v, node.items ?? {}, `${path}[${i}]`)) : [`${path}: not an array`];
  if (node.type === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: not an object`];
    const object = value as Record<string, unknown>;
    const out = (node.required ?? []).filter((k) => object[k] === undefined).map((k) => `${path}.${k}: required`);
    for (const [key, v] of Object.entries(object)) {
      if (v === undefined) continue;
      const rule = node.properties?.[key] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
      if (rule) out.push(...violations(v, rule, `${path}.${key}`));
      else if (node.additionalProperties === false) out.push(`${path}.${key}: not in the schema`);
    }
    return out;
  }
  return [];
}
