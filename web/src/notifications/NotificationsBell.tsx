// The in-app notifications bell: unread count, the latest notifications, mark read (one by
// following it, or all). Polls slowly: notifications are a nudge, the pages themselves poll.
import {
  ActionIcon,
  Button,
  Group,
  Indicator,
  Popover,
  ScrollArea,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { api } from '../api/client.ts';
import type { AppNotification } from '../api/types.ts';
import { formatDate } from '../format.ts';
import { navigate } from '../router.tsx';

const KEY = ['notifications'] as const;
const LIMIT = 20;
const POLL_MS = 30_000;

interface NotificationList {
  notifications: AppNotification[];
  unread: number;
}

function useNotifications() {
  return useQuery({
    queryKey: KEY,
    queryFn: () => api.get<NotificationList>('/notifications', { limit: LIMIT }),
    refetchInterval: POLL_MS,
  });
}

function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    /** One notification by id, or every one (null). */
    mutationFn: (id: string | null) =>
      id === null
        ? api.post<unknown>('/notifications/read-all')
        : api.post<unknown>(`/notifications/${encodeURIComponent(id)}/read`),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

/** Drawn here: no icon font or emoji font is guaranteed on the machine that shows the UI. */
function BellIcon(): ReactNode {
  return (
    <svg
      width="18"
      height="18"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      aria-hidden="true"
    >
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}

/** Only the UI's own paths are followed: a link is data, never a way off the site. */
const isInternalPath = (link: string | null): link is string =>
  link !== null && link.startsWith('/') && !link.startsWith('//');

function NotificationLine(props: { notification: AppNotification; onOpen: () => void }): ReactNode {
  const { notification } = props;
  const unread = notification.readAt === null;
  return (
    <UnstyledButton onClick={props.onOpen} p={6} data-testid="notification" data-unread={unread}>
      <Text size="sm" fw={unread ? 700 : 400}>
        {notification.title}
      </Text>
      <Text size="xs" c="dimmed" lineClamp={3} style={{ whiteSpace: 'pre-wrap' }}>
        {notification.body}
      </Text>
      <Text size="xs" c="dimmed">
        {formatDate(notification.createdAt)}
      </Text>
    </UnstyledButton>
  );
}

export function NotificationsBell(): ReactNode {
  const [opened, setOpened] = useState(false);
  const list = useNotifications();
  const markRead = useMarkRead();
  const unread = list.data?.unread ?? 0;
  const items = list.data?.notifications ?? [];
  const open = (notification: AppNotification) => {
    if (notification.readAt === null) markRead.mutate(notification.id);
    setOpened(false);
    if (isInternalPath(notification.link)) navigate(notification.link);
  };
  return (
    <Popover opened={opened} onChange={setOpened} width={360} position="bottom-end" shadow="md">
      <Popover.Target>
        <Indicator label={unread} size={16} disabled={unread === 0} data-testid="unread-count">
          <ActionIcon
            variant="default"
            size="lg"
            aria-label={unread === 0 ? 'Notifications' : `Notifications (${unread} unread)`}
            onClick={() => setOpened((o) => !o)}
          >
            <BellIcon />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs">
          <Group justify="space-between">
            <Text fw={600}>Notifications</Text>
            <Button
              size="compact-xs"
              variant="subtle"
              disabled={unread === 0}
              onClick={() => markRead.mutate(null)}
            >
              Mark all read
            </Button>
          </Group>
          {list.isError && (
            <Text size="sm" c="red">
              Could not load notifications.
            </Text>
          )}
          {list.isSuccess && items.length === 0 && (
            <Text size="sm" c="dimmed">
              Nothing yet.
            </Text>
          )}
          <ScrollArea.Autosize mah={400}>
            <Stack gap={2}>
              {items.map((n) => (
                <NotificationLine key={n.id} notification={n} onOpen={() => open(n)} />
              ))}
            </Stack>
          </ScrollArea.Autosize>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
