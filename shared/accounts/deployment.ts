import type { EnvReader } from '../config-reader.js';
import { oneOf, optionalMatching } from '../validate/settings.js';

/** How the stack is deployed: `account` (it acts in its own account) or `central` (in every member's). */
export const DEPLOYMENT_MODES = ['account', 'central'] as const;
export type DeploymentMode = (typeof DEPLOYMENT_MODES)[number];

/** The member role's name when MEMBER_ROLE_NAME is unset (org/member.yaml creates it under this name). */
export const DEFAULT_MEMBER_ROLE_NAME = 'backup-autopilot-member';

/**
 * An IAM role name: letters, digits and `+=,.@_-`, 1 to 64 characters (IAM API Reference,
 * CreateRole `RoleName`). A path is not allowed here: the member template creates the role at `/`.
 */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** An organization id: `o-` and 10 to 32 lowercase letters or digits (Organizations API, Organization `Id`). */
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

/** Where the functions act, and as whom. */
export interface Deployment {
  /** DEPLOYMENT_MODE (default `account`). */
  readonly mode: DeploymentMode;
  /** MEMBER_ROLE_NAME: the role central mode assumes in each member account (default backup-autopilot-member). */
  readonly memberRoleName: string;
  /** ORGANIZATION_ID: the organization whose accounts the central bus admits (required in central mode). */
  readonly organizationId: string | undefined;
}

/** In account mode the function acts in its own account only, with its own credentials. */
export const ACCOUNT_DEPLOYMENT: Deployment = Object.freeze({
  mode: 'account',
  memberRoleName: DEFAULT_MEMBER_ROLE_NAME,
  organizationId: undefined,
});

/** The deployment mode, by environment variable (the template's DeploymentMode). */
export const DEPLOYMENT_SETTINGS = {
  DEPLOYMENT_MODE: oneOf(DEPLOYMENT_MODES, 'account'),
};

/** Central mode's own settings: read only in central mode (the template sets them only then). */
export const CENTRAL_SETTINGS = {
  MEMBER_ROLE_NAME: optionalMatching(
    (s) => s.length <= 64 && ROLE_NAME.test(s),
    'must be an IAM role name (1 to 64 letters, digits or +=,.@_-, no path)',
  ),
  ORGANIZATION_ID: optionalMatching(
    (s) => s.length <= 34 && ORGANIZATION_ID.test(s),
    'must be an organization id o-<10 to 32 lowercase letters or digits>',
  ),
};

/**
 * Reads the deployment settings into `reader` (problems collected with the others). Central mode
 * needs ORGANIZATION_ID: the central bus admits that organization only, and a central stack without
 * it is a half-done deploy (the template passes it from the OrganizationId Parameter).
 */
export function readDeployment(reader: EnvReader): Deployment {
  const { DEPLOYMENT_MODE: mode } = reader.read(DEPLOYMENT_SETTINGS);
  if (mode !== 'central') return ACCOUNT_DEPLOYMENT;
  const s = reader.read(CENTRAL_SETTINGS);
  if (s.ORGANIZATION_ID === undefined && !reader.failed('ORGANIZATION_ID')) {
    reader.problem('ORGANIZATION_ID is required when DEPLOYMENT_MODE is central');
  }
  return {
    mode,
    memberRoleName: s.MEMBER_ROLE_NAME ?? DEFAULT_MEMBER_ROLE_NAME,
    organizationId: s.ORGANIZATION_ID,
  };
}
