/** Wording shared by every rule: how resources are named and commands quoted in a reason. */

/** `'name'`, plus the region and, when it is not the account being judged, the account. */
export function named(kind: string, name: string, where: { region?: string; accountId?: string; viewer?: string } = {}): string {
  const details = [
    ...(where.accountId !== undefined && where.accountId !== where.viewer ? [`account ${where.accountId}`] : []),
    ...(where.region !== undefined ? [where.region] : []),
  ];
  return `${kind} '${name}'${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
}

/** Quotes a value for a POSIX shell, so a fix command can be pasted as it is. */
export { shellQuote } from '../shell';

/** "a", "a or b", "a, b or c" */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** "a", "a and b", "a, b and c" */
export function andList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A fix command inside a reason. */
export function command(text: string): string {
  return `\`${text}\``;
}
