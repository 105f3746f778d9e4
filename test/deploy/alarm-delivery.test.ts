/**
 * The alarms that watch the scanner notify the findings topic, whose email subscription filters
 * on the `part` message attribute (a report too large for one message goes out in parts; people
 * get part 1). An alarm's notification carries no `part`: the subscription's filter policy, as
 * serverless.yml gives it, must let it through. moto delivers no email, so an SQS queue stands
 * in for the email subscriber with exactly that filter policy; moto applies SNS filter policies.
 */
import { CreateTopicCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { receiveAll, REGION, SCANNER_ACCOUNT, sqsClient } from '../notify/topic-queue';
import { motoClients, useMoto } from '../support/moto';
import { yamlFile } from '../support/templates';

describe('the findings email subscription, on moto', () => {
  useMoto();

  it("receives an alarm's notification (no part attribute) and part 1 of a report, not part 2", async () => {
    // Prepare
    const template = yamlFile('serverless.yml') as { resources: { Resources: { FindingsEmailSubscription: { Properties: { FilterPolicy: unknown; FilterPolicyScope: string } } } } };
    const { FilterPolicy, FilterPolicyScope } = template.resources.Resources.FindingsEmailSubscription.Properties;
    const clients = motoClients();
    const sns = clients.sns({ accountId: SCANNER_ACCOUNT }, REGION);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'trailwatch-prod-findings' }));
    const sqs = sqsClient();
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'stand-in-for-the-email' }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    sqs.destroy();
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: Attributes?.QueueArn,
        Attributes: { FilterPolicy: JSON.stringify(FilterPolicy), FilterPolicyScope, RawMessageDelivery: 'false' },
      }),
    );
    const part = (n: number) => ({ part: { DataType: 'Number', StringValue: String(n) }, parts: { DataType: 'Number', StringValue: '2' } });
    // Act
    await sns.send(new PublishCommand({ TopicArn, Subject: 'ALARM: "trailwatch-prod-heartbeat" in US East (N. Virginia)', Message: '{"AlarmName":"trailwatch-prod-heartbeat"}' }));
    await sns.send(new PublishCommand({ TopicArn, Subject: 'trailwatch: part 1', Message: 'part 1', MessageAttributes: part(1) }));
    await sns.send(new PublishCommand({ TopicArn, Subject: 'trailwatch: part 2', Message: 'part 2', MessageAttributes: part(2) }));
    // Assess
    const received = await receiveAll(QueueUrl as string);
    expect(received.map((d) => d.subject).sort()).toEqual(['ALARM: "trailwatch-prod-heartbeat" in US East (N. Virginia)', 'trailwatch: part 1']);
    clients.destroy();
  });
});
