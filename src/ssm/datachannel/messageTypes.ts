/**
 * The names and numbers of the Session Manager data-channel protocol (core.md §10.7), as the SSM agent's
 * `agent/session/contracts` defines them.
 */

/** The `MessageType` header field. */
export const MessageType = {
  InputStreamData: "input_stream_data",
  OutputStreamData: "output_stream_data",
  Acknowledge: "acknowledge",
  ChannelClosed: "channel_closed",
  StartPublication: "start_publication",
  PausePublication: "pause_publication",
  AgentSessionState: "agent_session_state",
} as const;

/** The `Flags` header field. */
export const MessageFlag = { Data: 0, Syn: 1, Fin: 2, Ack: 3 } as const;

/** The `PayloadType` header field. */
export const PayloadType = {
  None: 0,
  Output: 1,
  Error: 2,
  Size: 3,
  Parameter: 4,
  HandshakeRequest: 5,
  HandshakeResponse: 6,
  HandshakeComplete: 7,
  EncChallengeRequest: 8,
  EncChallengeResponse: 9,
  Flag: 10,
  StdErr: 11,
  ExitCode: 12,
} as const;

/** The 4-byte payload of a `PayloadType.Flag` message. */
export const SessionFlag = { DisconnectToPort: 1, TerminateSession: 2, ConnectToPortError: 3 } as const;

/** Handshake `ActionStatus` values. */
export const ActionStatus = { Success: 1, Failed: 2, Unsupported: 3 } as const;

/**
 * The client version reported to the agent. Below 1.1.70 so that agents keep port forwarding in the basic
 * one-connection-at-a-time mode instead of switching to smux multiplexing, which this client does not speak.
 */
export const CLIENT_VERSION = "1.1.61.0";
