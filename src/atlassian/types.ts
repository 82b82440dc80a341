// Response shapes, only the fields Seatwarden uses, written from the official specs. Loose objects:
// unknown fields pass through, but a missing id or a wrong type is caught at the edge.
import { z } from 'zod';

const str = z.string();
const optStr = z.string().nullish();
const optBool = z.boolean().nullish();

// ---------- Jira ----------
export const JiraUserSchema = z.looseObject({
  accountId: str,
  accountType: optStr, // atlassian | app | customer | unknown
  appType: optStr, // service | agent | unknown (accountType=app)
  active: optBool,
  displayName: optStr,
  emailAddress: optStr, // null or absent under privacy settings
  guest: optBool,
  timeZone: optStr,
  locale: optStr,
});
export type JiraUser = z.infer<typeof JiraUserSchema>;

export const JiraGroupSchema = z.looseObject({ groupId: str, name: str });
export type JiraGroup = z.infer<typeof JiraGroupSchema>;

/** `user/groups` returns GroupName, where groupId is nullable in the spec. */
export const JiraGroupNameSchema = z.looseObject({ groupId: optStr, name: str });
export type JiraGroupName = z.infer<typeof JiraGroupNameSchema>;

export const JiraProjectSchema = z.looseObject({
  id: str,
  key: str,
  name: str,
  projectTypeKey: optStr,
  archived: optBool,
  deleted: optBool,
  lead: z.looseObject({ accountId: str, displayName: optStr, active: optBool }).nullish(),
});
export type JiraProject = z.infer<typeof JiraProjectSchema>;

export const JiraRoleActorSchema = z.looseObject({
  id: z.number().nullish(),
  type: str, // atlassian-user-role-actor | atlassian-group-role-actor
  displayName: optStr,
  actorUser: z.looseObject({ accountId: str }).nullish(),
  actorGroup: z.looseObject({ groupId: optStr, name: optStr, displayName: optStr }).nullish(),
});
export type JiraRoleActor = z.infer<typeof JiraRoleActorSchema>;

export const JiraProjectRoleSchema = z.looseObject({
  id: z.number(),
  name: str,
  description: optStr,
  actors: z.array(JiraRoleActorSchema).nullish(),
});
export type JiraProjectRole = z.infer<typeof JiraProjectRoleSchema>;

/** `project/{key}/role`: role name → self URL ending in /role/{id}. */
export const JiraProjectRoleMapSchema = z.record(z.string(), z.string());

export const JiraApplicationRoleSchema = z.looseObject({
  key: str,
  name: optStr,
  groupDetails: z.array(JiraGroupNameSchema).nullish(),
  defaultGroupsDetails: z.array(JiraGroupNameSchema).nullish(),
  numberOfSeats: z.number().nullish(),
  remainingSeats: z.number().nullish(),
  userCount: z.number().nullish(),
  hasUnlimitedSeats: optBool,
});
export type JiraApplicationRole = z.infer<typeof JiraApplicationRoleSchema>;

// ---------- Organizations (admin) API ----------
export const AdminOrgSchema = z.looseObject({
  id: str,
  type: optStr,
  attributes: z.looseObject({ name: optStr }).nullish(),
});
export type AdminOrg = z.infer<typeof AdminOrgSchema>;

export const AdminV1UserSchema = z.looseObject({
  account_id: str,
  account_type: optStr,
  account_status: optStr, // active | inactive | closed
  name: optStr,
  email: optStr,
  access_billable: optBool,
  last_active: optStr,
  product_access: z
    .array(z.looseObject({ key: str, name: optStr, url: optStr, last_active: optStr }))
    .nullish(),
});
export type AdminV1User = z.infer<typeof AdminV1UserSchema>;

export const AdminLastActiveSchema = z.looseObject({
  data: z.looseObject({
    product_access: z
      .array(z.looseObject({ id: optStr, key: str, last_active: optStr, last_active_timestamp: optStr }))
      .nullish(),
    added_to_org: optStr,
    added_to_org_timestamp: optStr,
  }),
});
export type AdminLastActive = z.infer<typeof AdminLastActiveSchema>['data'];

export const AdminDirectorySchema = z.looseObject({ directoryId: str, name: optStr });
export type AdminDirectory = z.infer<typeof AdminDirectorySchema>;

export const AdminDirectoryUserSchema = z.looseObject({
  accountId: str,
  accountType: optStr,
  accountStatus: optStr,
  membershipStatus: optStr,
  status: optStr,
  claimStatus: optStr,
  managementSource: optStr,
  name: optStr,
  nickname: optStr,
  email: optStr,
  addedToOrg: optStr,
  platformRoles: z.array(z.unknown()).nullish(),
  productAccess: z.array(z.looseObject({ id: optStr, key: optStr, lastActiveTimestamp: optStr })).nullish(),
  groups: z.array(z.looseObject({ id: str, name: optStr, description: optStr })).nullish(),
});
export type AdminDirectoryUser = z.infer<typeof AdminDirectoryUserSchema>;

export const AdminGroupSchema = z.looseObject({
  id: str,
  name: str,
  description: optStr,
  directoryId: optStr,
  externalSynced: optBool,
  managedBy: optStr,
  managementAccess: z.looseObject({ deletable: optBool, modifiable: optBool, readable: optBool }).nullish(),
  counts: z.looseObject({ users: z.number().nullish(), resources: z.number().nullish() }).nullish(),
});
export type AdminGroup = z.infer<typeof AdminGroupSchema>;

export const AdminWorkspaceSchema = z.looseObject({
  id: str,
  type: optStr,
  attributes: z
    .looseObject({
      name: optStr,
      type: optStr,
      typeKey: optStr,
      hostUrl: optStr,
      status: optStr,
      capacity: z.number().nullish(),
    })
    .nullish(),
  relationships: z
    .looseObject({
      entitlement: z
        .array(
          z.looseObject({
            attributes: z.looseObject({ key: optStr, plan: optStr, planKey: optStr }).nullish(),
          }),
        )
        .nullish(),
    })
    .nullish(),
});
export type AdminWorkspace = z.infer<typeof AdminWorkspaceSchema>;

// ---------- User management API ----------
export const ManagePrivilegesSchema = z.record(
  z.string(),
  // `profile.write` answers an object-mutability rule rather than a plain `allowed`.
  z.looseObject({ allowed: optBool, reason: z.looseObject({ key: str }).nullish() }),
);
export type ManagePrivileges = z.infer<typeof ManagePrivilegesSchema>;

export const ManagedProfileSchema = z.looseObject({
  account: z.looseObject({
    account_id: str,
    name: optStr,
    nickname: optStr,
    email: optStr,
    account_type: optStr,
    account_status: optStr,
  }),
});
export type ManagedProfile = z.infer<typeof ManagedProfileSchema>['account'];
