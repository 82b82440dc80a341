// What a notification looks like on each channel: Slack-compatible incoming-webhook JSON
// (`text` for clients and notifications, `blocks` for the message) and a plain-text email.

export interface RenderableEvent {
  type: string;
  title: string;
  body: string;
  link: string | null;
}

export interface SlackMessage {
  text: string;
  blocks: (
    | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
    | { type: 'context'; elements: { type: 'mrkdwn'; text: string }[] }
  )[];
}

export interface EmailMessage {
  subject: string;
  text: string;
}

/** Slack limits a section's text to 3000 characters. */
const SLACK_SECTION_LIMIT = 3000;
const SUBJECT_LIMIT = 200;

/** Slack's mrkdwn treats &, < and > as control characters (links, mentions): escape them. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One line: titles end up in subjects and Slack headings, where a newline would break the shape. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').trim();
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** A UI path made absolute with the public URL, when one is configured (links in Slack and email). */
export function absoluteLink(link: string, publicUrl: string | undefined): string {
  return publicUrl === undefined ? link : new URL(link, publicUrl).toString();
}

export function renderSlack(event: RenderableEvent, publicUrl?: string): SlackMessage {
  const title = oneLine(event.title);
  const section = truncate(`*${escapeSlack(title)}*\n${escapeSlack(event.body)}`, SLACK_SECTION_LIMIT);
  const context = [`Seatwarden · ${event.type}`];
  if (event.link !== null) context.push(escapeSlack(absoluteLink(event.link, publicUrl)));
  return {
    text: truncate(`${title}: ${oneLine(event.body)}`, SLACK_SECTION_LIMIT),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: section } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: context.join(' · ') }] },
    ],
  };
}

export function renderTestSlack(integrationLabel: string): SlackMessage {
  return renderSlack({
    type: 'test',
    title: 'Seatwarden test notification',
    body: `Webhook notifications for "${integrationLabel}" work.`,
    link: null,
  });
}

export function renderEmail(event: RenderableEvent, publicUrl?: string): EmailMessage {
  const lines = [event.body.trim(), ''];
  if (event.link !== null) lines.push(`Open in Seatwarden: ${absoluteLink(event.link, publicUrl)}`, '');
  lines.push(`-- Seatwarden (${event.type})`);
  return {
    subject: truncate(`[Seatwarden] ${oneLine(event.title)}`, SUBJECT_LIMIT),
    text: `${lines.join('\n')}\n`,
  };
}
