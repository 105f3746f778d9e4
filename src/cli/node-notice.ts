/**
 * The AWS SDK's Node.js notice: on Node 20 every SDK client prints eight lines on stderr
 * (NodeVersionSupportWarning) saying that SDK releases after the first week of January 2027
 * need Node 22. The CLI turns the SDK's off and says it once, in one line, where a person asked
 * for more (`--verbose`). The Lambda runs nodejs22.x, where the SDK has nothing to say.
 */

/** The oldest Node.js major the SDK releases after early January 2027 run on. */
export const SDK_NODE_MAJOR = 22;

/** Stops the SDK's own notice (its documented switch); set before any client is made. */
export function silenceSdkNodeNotice(env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

/** One line for a Node.js older than the SDK's coming minimum; nothing on 22 and later. */
export function nodeSupportNotice(version: string = process.version): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (!Number.isFinite(major) || major >= SDK_NODE_MAJOR) return undefined;
  return (
    `trailwatch: note: Node.js ${version} runs trailwatch (it needs 20 or later); AWS SDK releases after the first week of ` +
    `January 2027 need Node.js ${SDK_NODE_MAJOR}, so upgrade before updating trailwatch then (the Lambda already runs nodejs22.x)`
  );
}
