import { collectPages } from "./collectPages.js";
import type { IamApi } from "./iamApi.js";

/**
 * The serial numbers of an IAM user's MFA devices (core.md §6.2), in the form `mfa_serial` takes: the device ARN of a
 * virtual or passkey device, the serial of a hardware token. All pages, where upstream read only the first.
 */
export function mfaDeviceSerials(iam: IamApi, userName: string): Promise<string[]> {
  return collectPages("ListMFADevices", (m) => iam.listMfaDevices(userName, m));
}
