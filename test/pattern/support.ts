import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import cisPatterns from './fixtures/cis-patterns.json';

/** A tree without positions or source text, for comparing trees that came from different texts. */
export function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'start' && key !== 'end' && !(key === 'source' && isPatternRoot(value)))
      .map(([key, child]) => [key, shape(child)]),
  );
}

function isPatternRoot(value: object): boolean {
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'json' || kind === 'terms' || kind === 'delimited';
}

export interface CisControl {
  readonly check: string;
  readonly control: string;
  readonly pattern: string;
}

/** The 15 CIS v4.0.0 reference patterns (copied into this test's fixtures). */
export const CIS_V4: readonly CisControl[] = cisPatterns.controls;
/** Other reference texts the samples are labelled with. */
export const CIS_VARIANTS: readonly { readonly label: string; readonly pattern: string }[] = cisPatterns.variants;

export interface CloudTrailSample {
  readonly eventName: string;
  readonly event: Record<string, unknown>;
  readonly cis_expected: readonly string[];
  readonly note: string;
}

export function cloudTrailSamples(): CloudTrailSample[] {
  return readFileSync(join(__dirname, 'fixtures', 'cloudtrail-samples.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CloudTrailSample);
}
