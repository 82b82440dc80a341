// Password hashing and opaque tokens. Passwords: scrypt with a per-user salt; the stored string
// carries its version and cost so parameters can be raised later without breaking old hashes.
// Tokens (sessions, API tokens): random, stored only as sha256 — they have full entropy, so a fast
// hash is enough and lets a lookup be a plain indexed equality.
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/** N = 2^15, r = 8, p = 1: OWASP's scrypt minimum; ~32 MiB and tens of ms per hash. */
const CURRENT = { version: 'scrypt-v1', logN: 15, r: 8, p: 1 } as const;

function derive(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** logN;
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

/** `scrypt-v1$<logN>$<r>$<p>$<salt b64url>$<hash b64url>` */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const { version, logN, r, p } = CURRENT;
  const key = await derive(password, salt, logN, r, p);
  return [version, logN, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Constant-time check; false (never a throw) for a malformed or unknown-version hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [version, logN, r, p, salt, hash, ...rest] = stored.split('$');
  if (version !== CURRENT.version || rest.length > 0 || salt === undefined || hash === undefined)
    return false;
  const cost = [logN, r, p].map(Number);
  const [n, rr, pp] = cost;
  if (
    n === undefined ||
    rr === undefined ||
    pp === undefined ||
    !cost.every((v) => Number.isInteger(v) && v > 0)
  )
    return false;
  if (n > 20) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), n, rr, pp);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * A hash of a random password that nobody knows: verifying against it when the email is unknown
 * makes "no such user" take as long as "wrong password".
 */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(randomToken(''));
  return decoyHash;
}

/** 32 random bytes, base64url, behind a recognisable prefix (e.g. `swt_` for API tokens). */
export function randomToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Equality of two secrets without leaking where they differ. */
export function secretsEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right) && a.length === b.length;
}
