// Every page as data: where it lives, what it needs, and whether it appears in the navigation.
import type { ReactNode } from 'react';
import type { Permission } from './auth/permissions.ts';
import { AccountPage } from './accounts/AccountPage.tsx';
import { AccountsPage } from './accounts/AccountsPage.tsx';
import { IntegrationsPage } from './integrations/IntegrationsPage.tsx';
import { NewIntegrationPage } from './integrations/NewIntegrationPage.tsx';
import { GroupPage, GroupsPage } from './pages/GroupsPage.tsx';
import { LicensesPage } from './pages/LicensesPage.tsx';
import { ProjectPage, ProjectsPage } from './pages/ProjectsPage.tsx';
import { RunsPage } from './pages/RunsPage.tsx';
import { TokensPage } from './pages/TokensPage.tsx';
import { AllRequestsPage } from './requests/AllRequestsPage.tsx';
import { CataloguePage } from './requests/CataloguePage.tsx';
import { InboxPage } from './requests/InboxPage.tsx';
import { MyRequestsPage } from './requests/MyRequestsPage.tsx';
import { RequestAccessPage } from './requests/RequestAccessPage.tsx';
import { RequestPage } from './requests/RequestPage.tsx';

export interface RouteDef {
  pattern: string;
  permission: Permission;
  /** Shown in the navigation with this label. */
  nav?: string;
  /** The navigation entry a detail page belongs to. */
  section?: string;
  render: (params: Record<string, string>) => ReactNode;
}

const param = (params: Record<string, string>, name: string): string => params[name] ?? '';

export const ROUTES: RouteDef[] = [
  {
    pattern: '/integrations',
    nav: 'Integrations',
    permission: 'integrations:read',
    render: () => <IntegrationsPage />,
  },
  { pattern: '/integrations/new', permission: 'integrations:write', render: () => <NewIntegrationPage /> },
  { pattern: '/accounts', nav: 'Accounts', permission: 'inventory:read', render: () => <AccountsPage /> },
  {
    pattern: '/integrations/:id/accounts/:accountId',
    section: '/accounts',
    permission: 'inventory:read',
    render: (p) => <AccountPage integrationId={param(p, 'id')} accountId={param(p, 'accountId')} />,
  },
  { pattern: '/groups', nav: 'Groups', permission: 'inventory:read', render: () => <GroupsPage /> },
  {
    pattern: '/integrations/:id/groups/:groupId',
    section: '/groups',
    permission: 'inventory:read',
    render: (p) => <GroupPage integrationId={param(p, 'id')} groupId={param(p, 'groupId')} />,
  },
  { pattern: '/projects', nav: 'Projects', permission: 'inventory:read', render: () => <ProjectsPage /> },
  {
    pattern: '/integrations/:id/projects/:projectId',
    section: '/projects',
    permission: 'inventory:read',
    render: (p) => <ProjectPage integrationId={param(p, 'id')} projectId={param(p, 'projectId')} />,
  },
  { pattern: '/licenses', nav: 'Licenses', permission: 'licenses:read', render: () => <LicensesPage /> },
  { pattern: '/runs', nav: 'Sync runs & health', permission: 'runs:read', render: () => <RunsPage /> },
  // Access requests. '/requests/new' comes before '/requests/:id': the first match wins.
  { pattern: '/inbox', nav: 'Inbox', permission: 'requests:decide', render: () => <InboxPage /> },
  {
    pattern: '/requests/new',
    nav: 'Request access',
    permission: 'requests:own',
    render: () => <RequestAccessPage />,
  },
  { pattern: '/requests', nav: 'My requests', permission: 'requests:own', render: () => <MyRequestsPage /> },
  {
    pattern: '/requests/:id',
    section: '/requests',
    permission: 'requests:own',
    render: (p) => <RequestPage requestId={param(p, 'id')} />,
  },
  {
    pattern: '/admin/requests',
    nav: 'All requests',
    permission: 'requests:admin',
    render: () => <AllRequestsPage />,
  },
  {
    pattern: '/admin/catalogue',
    nav: 'Catalogue',
    permission: 'requests:admin',
    render: () => <CataloguePage />,
  },
  { pattern: '/tokens', nav: 'API tokens', permission: 'tokens:own', render: () => <TokensPage /> },
];
