/** The catalogue as remediation reads it: each check's reference pattern and metric in one benchmark. */
import { controlsFor } from '../controls';
import type { BenchmarkId } from '../controls/types';
import type { CheckReference, ReferenceLookup } from './types';

export function catalogueReferences(benchmark: BenchmarkId): ReferenceLookup {
  const byCheck = new Map<string, CheckReference>(
    controlsFor(benchmark).map((control) => [
      control.check,
      {
        pattern: control.referencePattern,
        metricName: control.definition.metric.name,
        control: control.control,
        title: control.title,
      },
    ]),
  );
  return (check) => byCheck.get(check);
}
