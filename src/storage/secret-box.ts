// Encrypts secrets at rest with AES-256-GCM. Sealed form: `v1:<iv>:<tag>:<ciphertext>` (base64),
// versioned so the algorithm or key can change later without guessing the format.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

export class SecretKeyError extends Error {
  readonly code = 'secret_key_invalid';
}

export class SecretOpenError extends Error {
  readonly code = 'secret_open_failed';
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== KEY_BYTES) {
    throw new SecretKeyError(`The secret key must be ${KEY_BYTES} bytes, got ${key.length}`);
  }
  return {
    seal(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv.toString('base64'), tag.toString('base64'), ciphertext.toString('base64')].join(
        ':',
      );
    },
    open(sealed) {
      const parts = sealed.split(':');
      const [version, iv, tag, ciphertext] = parts;
      if (
        parts.length !== 4 ||
        version !== VERSION ||
        iv === undefined ||
        tag === undefined ||
        ciphertext === undefined
      ) {
        throw new SecretOpenError('Sealed secret has an unknown format');
      }
      const ivBytes = Buffer.from(iv, 'base64');
      const tagBytes = Buffer.from(tag, 'base64');
      if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
        throw new SecretOpenError('Sealed secret has an unknown format');
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, ivBytes, { authTagLength: TAG_BYTES });
        decipher.setAuthTag(tagBytes);
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString(
          'utf8',
        );
      } catch (error) {
        // Never include the ciphertext or key in the message.
        throw new SecretOpenError('Sealed secret failed authentication (wrong key or tampered data)', {
          cause: error,
        });
      }
    },
  };
}

/** Parses a 32-byte key given as 64 hex characters or as base64. */
export function parseSecretKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : decodeBase64Strict(trimmed);
  if (key?.length !== KEY_BYTES) {
    throw new SecretKeyError(
      `${source} must hold a ${KEY_BYTES}-byte key as 64 hex characters or base64 ` +
        `(generate one with: openssl rand -base64 32)`,
    );
  }
  return key;
}

function decodeBase64Strict(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  return Buffer.from(text, 'base64');
}

export interface LoadSecretKeyOptions {
  /** Usually process.env.SEATWARDEN_SECRET_KEY. */
  env?: string | undefined;
  dataDir: string;
}

/**
 * The key comes from SEATWARDEN_SECRET_KEY, else from `${dataDir}/secret.key`, which is created
 * (mode 0600) with a fresh random key on first start.
 */
export async function loadSecretKey(opts: LoadSecretKeyOptions): Promise<Buffer> {
  if (opts.env !== undefined && opts.env.trim() !== '') {
    return parseSecretKey(opts.env, 'SEATWARDEN_SECRET_KEY');
  }
  const file = path.join(opts.dataDir, 'secret.key');
  await mkdir(opts.dataDir, { recursive: true });
  try {
    // 'wx' fails if the file exists, so two processes starting together never overwrite each other.
    await writeFile(file, randomBytes(KEY_BYTES).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
  return parseSecretKey(await readFile(file, 'utf8'), file);
}

function isAlreadyExists(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'EEXIST';
}
