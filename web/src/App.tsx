// The signed-in shell: role-aware navigation on the left, the matched page on the right.
import { Alert, AppShell, Burger, Button, Center, Group, Loader, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { errorMessage } from './api/client.ts';
import type { User } from './api/types.ts';
import { can } from './auth/permissions.ts';
import { useSession, useSignOut } from './auth/session.ts';
import { SignInPage } from './auth/SignInPage.tsx';
import { NotificationsBell } from './notifications/NotificationsBell.tsx';
import { matchPath, navigate, useLocation } from './router.tsx';
import { ROUTES } from './routes.tsx';

function CurrentPage(props: { user: User }): ReactNode {
  const { pathname } = useLocation();
  const allowed = ROUTES.filter((route) => can(props.user.role, route.permission));
  for (const route of ROUTES) {
    const params = matchPath(route.pattern, pathname);
    if (params === null) continue;
    if (!allowed.includes(route))
      return <Alert color="yellow">Your role ({props.user.role}) cannot open this page.</Alert>;
    return route.render(params);
  }
  // "/" and unknown paths land on the first page this role may open.
  const home = allowed.find((route) => route.nav !== undefined);
  if (home && pathname === '/') {
    queueMicrotask(() => navigate(home.pattern, { replace: true }));
    return null;
  }
  return <Alert color="yellow">No page at {pathname}.</Alert>;
}

function Shell(props: { user: User }): ReactNode {
  const [opened, { toggle }] = useDisclosure();
  const { pathname } = useLocation();
  const signOut = useSignOut();
  const nav = ROUTES.filter((route) => route.nav !== undefined && can(props.user.role, route.permission));
  const current = ROUTES.find((route) => matchPath(route.pattern, pathname) !== null);
  const section = current?.section ?? current?.pattern;
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Navigation" />
            <Title order={3}>Seatwarden</Title>
          </Group>
          <Group>
            <NotificationsBell />
            <Text size="sm" data-testid="signed-in-as">
              {props.user.displayName} ({props.user.role})
            </Text>
            <Button variant="default" size="xs" onClick={() => signOut.mutate()} loading={signOut.isPending}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        {nav.map((route) => (
          <NavLink
            key={route.pattern}
            href={route.pattern}
            label={route.nav}
            active={section === route.pattern}
            onClick={(event) => {
              event.preventDefault();
              navigate(route.pattern);
            }}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <CurrentPage user={props.user} />
      </AppShell.Main>
    </AppShell>
  );
}

export function App(): ReactNode {
  const session = useSession();
  if (session.isPending) {
    return (
      <Center h="100vh">
        <Loader />
      </Center>
    );
  }
  if (session.isError) {
    return (
      <Center h="100vh">
        <Alert color="red" title="Seatwarden is not reachable">
          {errorMessage(session.error)}
        </Alert>
      </Center>
    );
  }
  if (session.data === null) return <SignInPage />;
  return <Shell user={session.data.user} />;
}
