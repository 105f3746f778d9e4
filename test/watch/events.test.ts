import { WATCHED_CALLS } from '../../src/watch/calls';
import { parseAnyCloudTrailEvent, parseEventBridgeEvent, parseQueuedEvent, WatchEventError } from '../../src/watch/events';
import { eventBridgeEvent, RECORDED, watchedEvent } from './fixtures/events';

describe('watch events', () => {
  it.each(WATCHED_CALLS.map((c) => [c.eventName, c.link] as const))('accepts the EventBridge event of %s and maps it to the %s link', (eventName, link) => {
    // Prepare
    const event = watchedEvent(eventName, { accountId: '111111111111' });
    // Act
    const parsed = parseQueuedEvent(JSON.stringify(event));
    // Assess
    expect(parsed).toMatchObject({ accountId: '111111111111', eventName, link });
    expect(parsed.actor.eventID).toBe((event.detail as { eventID: string }).eventID);
    expect(parsed.actor.arn).toMatch(/^arn:aws:(sts|iam)::/);
  });

  it('names the actor of a recorded event: userIdentity.arn, sourceIPAddress, eventTime, eventID', () => {
    const recorded = RECORDED.find((r) => r.eventName === 'UpdateTrail')?.record as Record<string, unknown>;
    const parsed = parseEventBridgeEvent(eventBridgeEvent(recorded));
    expect(parsed.actor).toEqual({
      arn: 'arn:aws:iam::123456789012:user/Alice',
      sourceIPAddress: '205.251.233.182',
      eventTime: '2016-07-14T19:15:45Z',
      eventID: recorded.eventID,
      eventName: 'UpdateTrail',
    });
    expect(parsed.accountId).toBe('123456789012');
  });

  it('keeps the error code of a failed call (the recorded LeaveOrganization was denied)', () => {
    const recorded = RECORDED.find((r) => r.eventName === 'LeaveOrganization')?.record as Record<string, unknown>;
    expect(parseAnyCloudTrailEvent(recorded).errorCode).toBe('AccessDenied');
  });

  it.each([
    ['a body that is not JSON', 'not json', /^the message body is not JSON/],
    ['another detail-type', JSON.stringify({ ...watchedEvent('DeleteTrail'), 'detail-type': 'Scheduled Event' }), /^event field detail-type: /],
    ['a missing eventName', JSON.stringify({ ...watchedEvent('DeleteTrail'), detail: { ...(watchedEvent('DeleteTrail').detail as object), eventName: undefined } }), /^event field detail\.eventName: required$/],
    ['an account that is not 12 digits', JSON.stringify({ ...watchedEvent('DeleteTrail'), account: '12' }), /^event field account: expected a 12-digit account ID$/],
    ['a call that breaks nothing', JSON.stringify(watchedEvent('DeleteTrail', { accountId: '111111111111' })).replace('"DeleteTrail"', '"CreateTrail"'), /^event field detail\.eventName: "cloudtrail\.amazonaws\.com" "CreateTrail" is not a call/],
  ])('refuses %s, naming the field', (_what, body, message) => {
    expect(() => parseQueuedEvent(body)).toThrow(WatchEventError);
    expect(() => parseQueuedEvent(body)).toThrow(message);
  });

  it('refuses the recorded DisableKey as its source has it: its account IDs have 13 digits', () => {
    const recorded = RECORDED.find((r) => r.eventName === 'DisableKey')?.record as Record<string, unknown>;
    expect(() => parseEventBridgeEvent(eventBridgeEvent(recorded, { account: '111111111111' }))).toThrow(/^event field detail\.(userIdentity\.accountId|recipientAccountId): expected a 12-digit account ID$/);
  });

  it('takes a bare CloudTrail record for the CLI', () => {
    const record = watchedEvent('Unsubscribe', { accountId: '222222222222' }).detail;
    expect(parseAnyCloudTrailEvent(record)).toMatchObject({ accountId: '222222222222', link: 'subscription' });
  });
});
