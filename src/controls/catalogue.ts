import type { Engine, ProfileName } from '../targets/target.js';

export type ControlArea = 'transport' | 'auth' | 'access' | 'network' | 'rest' | 'audit' | 'threat' | 'backup';

export interface Control {
  id: string;
  engines: Engine[];
  /** MCSB family, so reports group the way an Azure auditor reads them. */
  mcsb: string;
  /** What must hold for the control to pass, as the report states it. */
  passesWhen: string;
  /** Profiles that require the control; elsewhere it is skipped with `notRequiredBecause`. */
  requiredIn: ProfileName[];
  notRequiredBecause?: Partial<Record<ProfileName, string>>;
}

const BOTH: Engine[] = ['postgres', 'mysql'];
const ALL_PROFILES: ProfileName[] = ['baseline', 'strict'];

/** The controls the spec can decide today; the ids are the project's control catalogue ids and never change meaning. */
export const CONTROLS: Control[] = [
  { id: 'transport.tls-required', engines: BOTH, mcsb: 'DP-3', passesWhen: 'a login without TLS is refused, while the same account gets through over TLS', requiredIn: ALL_PROFILES },
  { id: 'transport.no-tls1.0', engines: BOTH, mcsb: 'DP-3', passesWhen: 'a client offering only TLS 1.0 cannot complete a handshake', requiredIn: ALL_PROFILES },
  { id: 'transport.no-tls1.1', engines: BOTH, mcsb: 'DP-3', passesWhen: 'a client offering only TLS 1.1 cannot complete a handshake', requiredIn: ALL_PROFILES },
  {
    id: 'transport.tls1.2',
    engines: BOTH,
    mcsb: 'DP-3',
    passesWhen: 'a client offering only TLS 1.2 completes a handshake',
    requiredIn: ['baseline'],
    notRequiredBecause: { strict: 'the strict profile expects TLS 1.3 only; transport.tls1.3-only judges TLS 1.2 there' },
  },
  { id: 'transport.tls1.3', engines: BOTH, mcsb: 'DP-3', passesWhen: 'a client offering only TLS 1.3 completes a handshake', requiredIn: ALL_PROFILES },
  {
    id: 'transport.tls1.3-only',
    engines: BOTH,
    mcsb: 'DP-3',
    passesWhen: 'a client offering only TLS 1.2 is refused (strict profile)',
    requiredIn: ['strict'],
    notRequiredBecause: { baseline: 'the baseline profile allows TLS 1.2 (Azure default minimum); only strict requires TLS 1.3 only' },
  },
  { id: 'transport.strong-ciphers', engines: BOTH, mcsb: 'DP-3', passesWhen: 'no NULL, anonymous, EXPORT, DES, 3DES, RC4 or MD5 suite is accepted, and every suite below TLS 1.3 is forward-secret', requiredIn: ALL_PROFILES },
  { id: 'transport.cert-trusted', engines: BOTH, mcsb: 'DP-3', passesWhen: 'the certificate chain links to a CA in the configured bundle with valid signatures', requiredIn: ALL_PROFILES },
  { id: 'transport.cert-hostname', engines: BOTH, mcsb: 'DP-3', passesWhen: 'the certificate names the host the client dialled', requiredIn: ALL_PROFILES },
  { id: 'transport.cert-validity', engines: BOTH, mcsb: 'DP-3', passesWhen: 'the certificate is in force and has more than the configured number of days left', requiredIn: ALL_PROFILES },
  { id: 'transport.cert-key', engines: BOTH, mcsb: 'DP-3', passesWhen: 'the certificate key is RSA of at least 2048 bits or EC of at least 256 bits', requiredIn: ALL_PROFILES },
  { id: 'transport.cert-signature', engines: BOTH, mcsb: 'DP-3', passesWhen: 'no presented certificate is signed with SHA-1 or MD5', requiredIn: ALL_PROFILES },
  {
    id: 'auth.entra-token',
    engines: BOTH,
    mcsb: 'IM-1',
    passesWhen: 'an Entra ID access token for the OSS RDBMS scope logs in over TLS, and the server refuses the same token with one signature byte changed and once it has expired',
    requiredIn: ALL_PROFILES,
  },
];

const BY_ID = new Map(CONTROLS.map((control) => [control.id, control]));

export function controlById(id: string): Control | undefined {
  return BY_ID.get(id);
}

export function areaOf(controlId: string): string {
  return controlId.split('.')[0];
}

export const CONTROL_TAG_PREFIX = '@control:';

export function controlIdsOfTags(tags: readonly string[]): string[] {
  return tags.filter((tag) => tag.startsWith(CONTROL_TAG_PREFIX)).map((tag) => tag.slice(CONTROL_TAG_PREFIX.length));
}
