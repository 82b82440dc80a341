// Bootstraps the first admin so a fresh install can be signed into.
import type { App } from '../../app.ts';
import { randomToken } from '../../storage/credentials.ts';
import {
  countActiveAdmins,
  createUser,
  EmailTakenError,
  findUserByEmail,
  updateUser,
} from '../../storage/users.ts';

export const DEFAULT_ADMIN_EMAIL = 'admin@localhost';

export interface FirstAdminResult {
  created: boolean;
  email?: string;
  /**
   * Set only when no password was configured: the caller prints it ONCE to the operator. It is
   * never logged or stored (only its scrypt hash is).
   */
  oneTimePassword?: string;
}

/**
 * When no active admin exists, creates one from SEATWARDEN_ADMIN_EMAIL / SEATWARDEN_ADMIN_PASSWORD,
 * or `admin@localhost` with a random password. An existing user with that email is promoted and
 * given the password (recovery after every admin was removed or disabled).
 */
export async function ensureFirstAdmin(app: App): Promise<FirstAdminResult> {
  if ((await countActiveAdmins(app.db)) > 0) return { created: false };
  const email = app.config.adminEmail ?? DEFAULT_ADMIN_EMAIL;
  const configured = app.config.adminPassword;
  const password = configured ?? randomToken('').slice(0, 24);
  const existing = await findUserByEmail(app.db, email);
  if (existing) {
    await updateUser(app.db, existing.id, { role: 'admin', disabled: false, password });
  } else {
    try {
      await createUser(app.db, { email, displayName: 'Administrator', role: 'admin', password });
    } catch (error) {
      // Another node bootstrapped the same admin at the same moment.
      if (error instanceof EmailTakenError) return { created: false };
      throw error;
    }
  }
  app.logger.info({ email }, 'first admin created');
  return configured === undefined
    ? { created: true, email, oneTimePassword: password }
    : { created: true, email };
}
