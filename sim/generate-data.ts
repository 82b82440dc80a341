// Word lists the generator draws from. Non-ASCII and HTML-like names are here on purpose: every
// consumer must store and render them safely.

export const FIRST_NAMES = [
  'Alice',
  'Bob',
  'Carol',
  'David',
  'Erin',
  'Frank',
  'Grace',
  'Heidi',
  'Ivan',
  'Judy',
  'Mallory',
  'Niaj',
  'Olivia',
  'Peggy',
  'Rupert',
  'Sybil',
  'Trent',
  'Victor',
  'Walter',
  'Yasmin',
  'Zoë',
  'Åsa',
  'Jürgen',
  'François',
  'Siobhán',
  'Dmitrii',
  'Дмитрий',
  'Анна',
  '李',
  '王',
  'さくら',
  'José',
  'Chloé',
  'Łukasz',
  'Søren',
  'Nguyễn',
  'Ömer',
  'Priya',
  'Kwame',
  'Amara',
  'Mateo',
] as const;

export const LAST_NAMES = [
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Wilson',
  'Johnson',
  'Davies',
  'Patel',
  'Garcia',
  'Ångström',
  'Müller',
  'Dubois',
  "O'Neil",
  'Иванов',
  '小龙',
  '伟',
  'たなか',
  'Kowalski',
  'Nørgaard',
  'Yılmaz',
  'Okafor',
  'Fernández',
  'Rossi',
  'Nakamura',
  'Van der Berg',
  'Lefèvre',
  'Novák',
] as const;

/** Display names that try to break HTML, CSV and log output. */
export const HOSTILE_NAMES = [
  '<img src=x onerror=alert(1)>',
  'Bob "<b>" O\'Neil',
  '=HYPERLINK("http://evil.example","click")',
  '<script>alert("x")</script>',
  "Robert'); DROP TABLE users;--",
  '   padded   name   ',
  '👩‍💻 Emoji Person',
] as const;

export const APP_NAMES = [
  'Automation for Jira',
  'Slack',
  'Microsoft Teams',
  'Jira Cloud for Sheets',
  'Tempo',
  'Zephyr',
  'GitHub for Atlassian',
  'Rovo Dev Agent',
  'Opsgenie',
  'Statuspage',
  'ScriptRunner',
  'Deploy Bot',
] as const;

export const TEAM_WORDS = [
  'platform',
  'payments',
  'growth',
  'mobile',
  'web',
  'data',
  'security',
  'infra',
  'support',
  'sales',
  'marketing',
  'finance',
  'legal',
  'hr',
  'design',
  'qa',
  'ops',
  'research',
  'analytics',
  'billing',
] as const;

export const PROJECT_WORDS = [
  'Phoenix',
  'Atlas',
  'Orion',
  'Nimbus',
  'Helix',
  'Aurora',
  'Zephyr',
  'Vega',
  'Titan',
  'Nova',
  'Apollo',
  'Gemini',
  'Hermes',
  'Iris',
  'Juno',
  'Kepler',
  'Lyra',
  'Mercury',
  'Nebula',
  'Pulsar',
] as const;

export const TIME_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
  'Asia/Tokyo',
  'Asia/Shanghai',
  'Australia/Sydney',
  'Asia/Kolkata',
  'America/Sao_Paulo',
  'Europe/Moscow',
] as const;

export const LOCALES = ['en_US', 'en_GB', 'de_DE', 'fr_FR', 'ja_JP', 'zh_CN', 'ru_RU', 'es_ES'] as const;

/** Jira's project role definitions (ids as a fresh Jira Cloud site numbers them). */
export const ROLE_DEFINITIONS = [
  {
    id: 10002,
    name: 'Administrators',
    description: 'A project role that represents administrators in a project',
  },
  { id: 10001, name: 'Developers', description: 'A project role that represents developers in a project' },
  { id: 10000, name: 'Users', description: 'A project role that represents users in a project' },
  {
    id: 10003,
    name: 'atlassian-addons-project-access',
    description:
      'A project role that represents Connect add-ons declaring a scope that requires more than read issue permissions',
  },
  { id: 10004, name: 'Viewers', description: 'A project role that represents viewers in a project' },
  { id: 10100, name: 'Service Desk Team', description: 'Members of the service desk team' },
  { id: 10101, name: 'Service Desk Customers', description: 'Customers of the service desk' },
] as const;

export const ROLE = {
  administrators: 10002,
  developers: 10001,
  users: 10000,
  addons: 10003,
  viewers: 10004,
  serviceDeskTeam: 10100,
} as const;

/** Org product key → display name; the Jira application role key differs only for JSM. */
export const PRODUCTS = [
  { key: 'jira-software', name: 'Jira', appKey: 'jira-software', appName: 'Jira Software', share: 0.7 },
  {
    key: 'jira-service-desk',
    name: 'Jira Service Management',
    appKey: 'jira-servicedesk',
    appName: 'Jira Service Management',
    share: 0.2,
  },
  { key: 'confluence', name: 'Confluence', appKey: null, appName: null, share: 0.5 },
  {
    key: 'jira-product-discovery',
    name: 'Jira Product Discovery',
    appKey: 'jira-product-discovery',
    appName: 'Product Discovery',
    share: 0.08,
  },
] as const;
