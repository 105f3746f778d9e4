/** trailwatch doctor and the watch: with the watch on, its rule (on its bus) and its queue are optional parts to find. */
import { loadLambdaSettings } from '../../src/config';
import { deploymentFromSettings } from '../../src/doctor';

const base = { FINDINGS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:trailwatch-prod-findings', MEMBER_ROLE_NAME: 'trailwatch-member-read', AWS_REGION: 'us-east-1' };
const queueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/trailwatch-prod-watch';

describe('the doctor and the watch', () => {
  it('checks the watch rule on its bus and the watch queue when the watch is on', () => {
    const settings = loadLambdaSettings({ ...base, WATCH_RULE_NAME: 'trailwatch-prod-watch', WATCH_BUS_NAME: 'trailwatch-prod-watch', WATCH_QUEUE_URL: queueUrl });
    expect(deploymentFromSettings(settings, 'env').optionalParts).toEqual([
      { name: "the watch's rule (on bus trailwatch-prod-watch)", kind: 'eventbridge-rule', id: 'trailwatch-prod-watch', eventBusName: 'trailwatch-prod-watch', setting: 'the watch parameter (WATCH_RULE_NAME)' },
      { name: "the watch's queue", kind: 'sqs-queue', id: queueUrl, setting: 'the watch parameter (WATCH_QUEUE_URL)' },
    ]);
  });

  it('checks nothing of the watch when it is off (the stack sets the variables empty)', () => {
    const settings = loadLambdaSettings({ ...base, WATCH_RULE_NAME: '', WATCH_BUS_NAME: '', WATCH_QUEUE_URL: '' });
    expect(deploymentFromSettings(settings, 'env').optionalParts).toEqual([]);
  });

  it('refuses a watch variable that is not a name or URL, naming it', () => {
    expect(() => loadLambdaSettings({ ...base, WATCH_RULE_NAME: 'no spaces allowed' })).toThrow(/WATCH_RULE_NAME/);
  });
});
