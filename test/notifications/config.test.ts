// SMTP configuration: parsed from SEATWARDEN_SMTP_URL, optional, and never echoed in errors.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.ts';
import { renderEmail, renderSlack } from '../../src/notifications/index.ts';

describe('SMTP configuration', () => {
  it('is off without SEATWARDEN_SMTP_URL', () => {
    expect(loadConfig({}).smtp).toBeUndefined();
  });

  it('parses smtp:// and smtps:// URLs with decoded credentials and default ports', () => {
    const plain = loadConfig({
      SEATWARDEN_SMTP_URL: 'smtp://mailer%40acme:p%40ss@mail.acme.test',
      SEATWARDEN_SMTP_FROM: 'Seatwarden <seatwarden@acme.test>',
    }).smtp;
    expect(plain).toEqual({
      host: 'mail.acme.test',
      port: 587,
      secure: false,
      user: 'mailer@acme',
      password: 'p@ss',
      from: 'Seatwarden <seatwarden@acme.test>',
    });
    const tls = loadConfig({
      SEATWARDEN_SMTP_URL: 'smtps://mail.acme.test',
      SEATWARDEN_SMTP_FROM: 'a@b.c',
    }).smtp;
    expect(tls).toMatchObject({ port: 465, secure: true, user: undefined, password: undefined });
  });

  it('refuses a bad URL or a missing From without echoing the password', () => {
    const attempt = (env: NodeJS.ProcessEnv): string => {
      try {
        loadConfig(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error('expected a ConfigError');
    };
    const badScheme = attempt({
      SEATWARDEN_SMTP_URL: 'http://u:hunter2secret@mail',
      SEATWARDEN_SMTP_FROM: 'a@b.c',
    });
    expect(badScheme).toContain('SEATWARDEN_SMTP_URL');
    expect(badScheme).not.toContain('hunter2secret');
    const noFrom = attempt({ SEATWARDEN_SMTP_URL: 'smtp://u:hunter2secret@mail' });
    expect(noFrom).toContain('SEATWARDEN_SMTP_FROM');
    expect(noFrom).not.toContain('hunter2secret');
  });
});

describe('rendering', () => {
  const event = { type: 'decision', title: 'Approved:\nDevelopers', body: 'a <b> & c', link: '/requests/1' };

  it('renders Slack-compatible JSON with escaped mrkdwn and a one-line title', () => {
    const message = renderSlack(event);
    expect(message.text).toBe('Approved: Developers: a <b> & c');
    expect(message.blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*Approved: Developers*\na &lt;b&gt; &amp; c' },
    });
    expect(JSON.stringify(message.blocks[1])).toContain('/requests/1');
  });

  it('renders a plain-text email with a one-line subject', () => {
    const email = renderEmail(event);
    expect(email.subject).toBe('[Seatwarden] Approved: Developers');
    expect(email.text).toContain('a <b> & c');
    expect(email.text).toContain('Open in Seatwarden: /requests/1');
  });

  it('makes links absolute with SEATWARDEN_PUBLIC_URL, and refuses a URL that is not http(s)', () => {
    const base = 'https://seatwarden.example.com/';
    expect(renderEmail(event, base).text).toContain(
      'Open in Seatwarden: https://seatwarden.example.com/requests/1',
    );
    expect(JSON.stringify(renderSlack(event, base).blocks[1])).toContain(
      'https://seatwarden.example.com/requests/1',
    );
    expect(loadConfig({ SEATWARDEN_PUBLIC_URL: base }).publicUrl).toBe(base);
    expect(() => loadConfig({ SEATWARDEN_PUBLIC_URL: 'javascript:alert(1)' })).toThrow(
      /SEATWARDEN_PUBLIC_URL/,
    );
  });
});
