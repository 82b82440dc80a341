// A local SMTP sink (smtp-server) on 127.0.0.1 and a random port: accepts every message (with or
// without AUTH, no TLS) and keeps it parsed (mailparser), so tests check subject, recipients, body.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SunkEmail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  /** The AUTH user the client signed in as, if any. */
  authUser: string | null;
}

export interface SmtpSink {
  readonly port: number;
  readonly messages: SunkEmail[];
  /** A SEATWARDEN_SMTP_URL for this sink. */
  url(credentials?: { user: string; password: string }): string;
  stop(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: SunkEmail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const authUser: unknown = session.user;
          messages.push({
            from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            authUser: typeof authUser === 'string' ? authUser : null,
          });
          callback();
        })
        .catch((error: unknown) => {
          callback(error instanceof Error ? error : new Error(String(error)));
        });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    messages,
    url: (credentials) =>
      credentials
        ? `smtp://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}`
        : `smtp://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
