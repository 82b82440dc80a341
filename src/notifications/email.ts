// Email notifications over SMTP (nodemailer). Optional: with no SEATWARDEN_SMTP_URL nothing is
// planned or sent. The password stays inside the transport; errors are reduced to safe text.
import nodemailer from 'nodemailer';
import type { SmtpConfig } from '../config/config.ts';
import { renderEmail, type RenderableEvent } from './render.ts';
import { SEND_TIMEOUT_MS, type SendResult } from './webhook.ts';

export interface EmailSender {
  send(to: string, event: RenderableEvent): Promise<SendResult>;
  close(): void;
}

/** SMTP reply codes and connection errors, without anything the server or config could echo. */
function describeFailure(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'SMTP error';
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const responseCode =
    'responseCode' in error && typeof error.responseCode === 'number' ? error.responseCode : undefined;
  if (responseCode !== undefined) return `SMTP ${responseCode}${code === undefined ? '' : ` (${code})`}`;
  return code === undefined ? 'SMTP error' : `SMTP error: ${code}`;
}

export function createEmailSender(smtp: SmtpConfig, publicUrl?: string): EmailSender {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user === undefined ? {} : { auth: { user: smtp.user, pass: smtp.password ?? '' } }),
    connectionTimeout: SEND_TIMEOUT_MS,
    greetingTimeout: SEND_TIMEOUT_MS,
    socketTimeout: SEND_TIMEOUT_MS,
    logger: false,
  });
  return {
    async send(to, event) {
      const message = renderEmail(event, publicUrl);
      try {
        await transport.sendMail({ from: smtp.from, to, subject: message.subject, text: message.text });
        return { ok: true, httpStatus: null };
      } catch (error) {
        return { ok: false, httpStatus: null, error: describeFailure(error) };
      }
    },
    close() {
      transport.close();
    },
  };
}
