/**
 * The session handshake (core.md §10.7): the agent lists the client actions it wants (the session type, and KMS
 * encryption when the account enforces it); the client answers one processed action per requested one.
 */
import { ActionStatus, CLIENT_VERSION } from "./messageTypes.js";

export interface HandshakeRequest {
  AgentVersion?: string;
  RequestedClientActions?: { ActionType?: string; ActionParameters?: unknown }[];
}

export interface HandshakeResponse {
  ClientVersion: string;
  ProcessedClientActions: { ActionType: string; ActionStatus: number; Error?: string }[];
  Errors: string[];
}

/** Why a session that needs KMS encryption cannot run here, and what to do instead. */
export const KMS_UNSUPPORTED =
  "the session requires KMS encryption, which the built-in Session Manager client does not support; use --plugin";

/** The handshake request in a payload; a plain Error when it is not the expected JSON. */
export function parseHandshakeRequest(payload: Buffer): HandshakeRequest {
  const value: unknown = JSON.parse(payload.toString("utf8"));
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error("handshake request is not a JSON object");
  }
  const request = value as HandshakeRequest;
  if (request.RequestedClientActions !== undefined && !Array.isArray(request.RequestedClientActions)) {
    throw new Error("handshake request RequestedClientActions is not a list");
  }
  return request;
}

/**
 * The answer to `request`: the session type is accepted; KMS encryption is reported unsupported with a reason (the
 * agent then ends the session, and the person learns to use --plugin); anything else unknown is unsupported too.
 */
export function buildHandshakeResponse(request: HandshakeRequest): HandshakeResponse {
  const processed = (request.RequestedClientActions ?? []).map((action) => {
    const type = action.ActionType ?? "";
    if (type === "SessionType") return { ActionType: type, ActionStatus: ActionStatus.Success };
    if (type === "KMSEncryption") {
      return { ActionType: type, ActionStatus: ActionStatus.Unsupported, Error: KMS_UNSUPPORTED };
    }
    return { ActionType: type, ActionStatus: ActionStatus.Unsupported, Error: `action ${type} is not supported` };
  });
  return { ClientVersion: CLIENT_VERSION, ProcessedClientActions: processed, Errors: [] };
}

/** True when the agent asks for KMS encryption (the session cannot succeed with this client). */
export function requestsKms(request: HandshakeRequest): boolean {
  return (request.RequestedClientActions ?? []).some((a) => a.ActionType === "KMSEncryption");
}
