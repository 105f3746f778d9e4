/**
 * How large a report's JSON is, without building it when it is large: a report of 10,000 accounts
 * is a JSON text of about 150 MB, and asking only "does it fit in one SNS message / a Lambda
 * response" must not hold that text (and the report) at once.
 */

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Whether JSON.stringify(value) is at most `limit` UTF-8 bytes. The object's own arrays are
 * measured an item at a time and the measuring stops once past the limit, so the cost is bounded
 * by the limit, not by the value. Exact: an array's text is its items' texts, commas between.
 */
export function jsonFitsWithin(value: object, limit: number): boolean {
  const arrays = Object.entries(value).filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]));
  const shell = { ...value, ...Object.fromEntries(arrays.map(([key]) => [key, []])) };
  let bytes = utf8Bytes(JSON.stringify(shell));
  if (bytes > limit) return false;
  for (const [, items] of arrays) {
    for (const [index, item] of items.entries()) {
      // JSON.stringify writes an item that has no JSON (undefined, a function) as null.
      bytes += utf8Bytes(JSON.stringify(item) ?? 'null') + (index > 0 ? 1 : 0);
      if (bytes > limit) return false;
    }
  }
  return true;
}
