/** Trail rules: it is logging, and it logs the management events (read and write, from the check's sources) the check needs. */
import type { AccountInventory, TrailRecord } from '../../collect/inventory';
import type { CheckDefinition } from '../../controls/types';
import { describeReadError, findReadError } from '../context';
import * as fixes from '../fixes';
import { command, named } from '../text';
import { fail, pass, unknown, type LinkVerdict } from '../verdict';
import { managementEventsVerdict } from './event-selectors';

export function trailName(trail: TrailRecord, viewer: string): string {
  return named('trail', trail.name, { accountId: trail.ownerAccountId, region: trail.homeRegion, viewer });
}

/** `owner` is the inventory holding the trail's own record (the management account's for an organization trail). */
export function trailVerdict(trail: TrailRecord, owner: AccountInventory, definition: CheckDefinition, viewer: string): LinkVerdict {
  const name = trailName(trail, viewer);
  const identifiers = [trail.arn, trail.name];
  const problems: LinkVerdict[] = [];

  if (trail.status === undefined) {
    const error = findReadError(owner, 'trailStatus', { resources: identifiers });
    problems.push(unknown('trail', `trailwatch could not tell whether ${name} is logging (${error ? describeReadError(error) : 'its status was not collected'})`));
  } else if (!trail.status.isLogging) {
    const fix = fixes.startLogging(trail.name, trail.homeRegion);
    problems.push(fail('trail', `${name} is not logging: start it with ${command(fix)}`, fix));
  }

  if (trail.eventSelectors === undefined && trail.advancedEventSelectors === undefined) {
    const error = findReadError(owner, 'eventSelectors', { resources: identifiers });
    problems.push(unknown('trail', `trailwatch could not tell which events ${name} logs (${error ? describeReadError(error) : 'its event selectors were not collected'})`));
  } else {
    const selection = managementEventsVerdict(trail, definition);
    if (selection.outcome === 'fail') {
      const fix = fixes.logAllManagementEvents(trail.name, trail.homeRegion);
      problems.push(fail('trail', `${name} ${selection.problem}: log all management events with ${command(fix)}`, fix));
    } else if (selection.outcome === 'unknown') {
      problems.push(unknown('trail', `${name} ${selection.problem}`));
    } else if (selection.warnings.length > 0) {
      problems.push(pass(selection.warnings.map((warning) => `${name}: ${warning}`)));
    }
  }
  return firstProblem(problems);
}

/** The first failure, else the first unknown, else a pass; the other problems ride along as warnings. */
export function firstProblem(verdicts: readonly LinkVerdict[]): LinkVerdict {
  const chosen = verdicts.find((verdict) => verdict.outcome === 'fail') ?? verdicts.find((verdict) => verdict.outcome === 'unknown');
  const others = verdicts.filter((verdict) => verdict !== chosen).flatMap((verdict) => (verdict.outcome === 'pass' ? (verdict.warnings ?? []) : [`also: ${verdict.reason}`]));
  if (!chosen) return pass(others);
  const warnings = [...(chosen.warnings ?? []), ...others];
  return { ...chosen, ...(warnings.length > 0 ? { warnings } : {}) };
}
