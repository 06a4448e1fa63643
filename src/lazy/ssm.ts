/**
 * The AWS SDK adapters of the `ssm` commands (EC2 DescribeInstances, SSM StartSession, EC2 Instance Connect
 * SendSSHPublicKey) and the built-in session client. Bundled on its own (dist/ssm.cjs) and loaded only by those
 * commands, so no other command pays for three SDK clients and a WebSocket library.
 */
import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { EC2InstanceConnectClient, SendSSHPublicKeyCommand } from "@aws-sdk/client-ec2-instance-connect";
import { SSMClient, StartSessionCommand } from "@aws-sdk/client-ssm";
import type { SsmApis, SsmApisTarget } from "../cli/commands/ssm.js";
import type { Credentials } from "../domain/credentials.js";
import { RunasError } from "../domain/errors.js";
import type { Logger } from "../ports.js";
import { sdkClientConfig } from "../platform/sdkClientConfig.js";
import { translateAwsError } from "../providers/awsErrors.js";

export { runSession } from "../ssm/runSession.js";

/** SDK adapters signing every call with `credentials` (the profile's) in `target.region`. */
export function createSsmApis(target: SsmApisTarget, credentials: Credentials, logger: Logger): SsmApis {
  // -vv traces requests; StartSession's TokenValue opens the data channel, and the tracing logger masks it.
  const config = (endpoint: string | undefined) => sdkClientConfig({ region: target.region, endpoint, credentials, logger });
  const where = (endpoint: string | undefined, service: string) => endpoint ?? `the ${service} endpoint of ${target.region}`;
  let ec2: EC2Client | undefined;
  let ssm: SSMClient | undefined;
  let connect: EC2InstanceConnectClient | undefined;

  return {
    async describeInstances(filters) {
      ec2 ??= new EC2Client(config(target.endpoints.ec2));
      const out = await ec2.send(new DescribeInstancesCommand({ Filters: filters })).catch((e: unknown) => {
        throw translate(e, "EC2 DescribeInstances", "ec2:DescribeInstances", where(target.endpoints.ec2, "EC2"), target.region);
      });
      return (out.Reservations ?? []).map((r) => (r.Instances ?? []).flatMap((i) => (i.InstanceId === undefined ? [] : [i.InstanceId])));
    },

    async startSession(request) {
      ssm ??= new SSMClient(config(target.endpoints.ssm));
      const out = await ssm.send(new StartSessionCommand(request)).catch((e: unknown) => {
        if ((e as { name?: unknown }).name === "TargetNotConnected") {
          return Promise.reject(new RunasError(
            "STS_ERROR",
            `instance ${request.Target} is not connected to Systems Manager: check that its SSM agent is running and ` +
              "its instance profile allows SSM (AmazonSSMManagedInstanceCore), then try again",
            { cause: e },
          ));
        }
        throw translate(e, "SSM StartSession", "ssm:StartSession", where(target.endpoints.ssm, "SSM"), target.region);
      });
      if (out.SessionId === undefined || out.StreamUrl === undefined || out.TokenValue === undefined) {
        throw new RunasError(
          "STS_ERROR",
          `SSM StartSession for ${request.Target} returned no session; try again, and if it repeats, check AWS_ENDPOINT_URL_SSM / AWS_ENDPOINT_URL / endpoint_url`,
        );
      }
      return { SessionId: out.SessionId, StreamUrl: out.StreamUrl, TokenValue: out.TokenValue };
    },

    async sendSshPublicKey({ instanceId, osUser, publicKey }) {
      connect ??= new EC2InstanceConnectClient(config(target.endpoints.ec2InstanceConnect));
      const out = await connect
        .send(new SendSSHPublicKeyCommand({ InstanceId: instanceId, InstanceOSUser: osUser, SSHPublicKey: publicKey }))
        .catch((e: unknown) => {
          throw translate(e, "EC2 Instance Connect SendSSHPublicKey", "ec2-instance-connect:SendSSHPublicKey",
            where(target.endpoints.ec2InstanceConnect, "EC2 Instance Connect"), target.region);
        });
      if (out.Success === false) {
        throw new RunasError("STS_ERROR", `EC2 Instance Connect did not accept the SSH public key for ${osUser} on ${instanceId}; try again`);
      }
    },
  };
}

/** A denial names the permission this profile lacks; the rest reads as for STS (network, keys, expiry). */
function translate(e: unknown, operation: string, permission: string, where: string, region: string): RunasError {
  const name = (e as { name?: unknown }).name;
  if (name === "AccessDenied" || name === "AccessDeniedException" || name === "UnauthorizedOperation") {
    const message = (e as { message?: unknown }).message;
    return new RunasError(
      "STS_ERROR",
      `AWS denied ${operation} in ${region}${typeof message === "string" && message !== "" ? ` (${message})` : ""}: ` +
        `allow ${permission} to the role or user of this profile`,
      { cause: e },
    );
  }
  return translateAwsError(e, { operation: `${operation} in ${region}`, where });
}
