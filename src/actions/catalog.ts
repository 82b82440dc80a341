// Every provisioning action, declared as data (kind, schema, API per integration, destructive
// flag, pre-flight plan, inventory update). The engine, the CLI and the API read only this table.
import {
  cancelDelete,
  createUser,
  deactivate,
  deleteAccount,
  grantProduct,
  jiraDeleteUser,
  removeFromDirectory,
  restore,
  revokeProduct,
  suspend,
} from './catalog-accounts.ts';
import {
  addRoleActor,
  addToGroup,
  createGroup,
  deleteGroup,
  removeFromGroup,
  removeRoleActor,
} from './catalog-groups.ts';
import { ACTION_KINDS, type Action, type ActionKind } from './types.ts';

export const ACTIONS: Readonly<Record<ActionKind, Action>> = {
  createUser,
  createGroup,
  deleteGroup,
  addToGroup,
  removeFromGroup,
  addRoleActor,
  removeRoleActor,
  grantProduct,
  revokeProduct,
  suspend,
  restore,
  removeFromDirectory,
  jiraDeleteUser,
  deactivate,
  delete: deleteAccount,
  cancelDelete,
};

export function isActionKind(value: string): value is ActionKind {
  return (ACTION_KINDS as readonly string[]).includes(value);
}

export { ACTION_KINDS, type Action, type ActionKind } from './types.ts';
