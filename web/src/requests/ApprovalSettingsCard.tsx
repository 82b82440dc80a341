// One integration's approval settings: its owners (the last fallback of every route), the route
// per item kind, and when reminders and expiry notices go out.
import { Alert, Button, Card, Group, NumberInput, Stack, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { errorMessage } from '../api/client.ts';
import type { ApprovalSettings, ItemKind, StepRule } from '../api/types.ts';
import { useSaveApprovalSettings } from './api.ts';
import { DEFAULT_ROUTES, ITEM_KINDS, KIND_LABELS } from './labels.tsx';
import { RouteEditor, UserMultiSelect, isRouteComplete } from './RouteEditor.tsx';

const MAX_HOURS = 24 * 60;

type Draft = Omit<ApprovalSettings, 'integrationId'>;

const toDraft = (settings: ApprovalSettings): Draft => ({
  ownerUserIds: settings.ownerUserIds,
  routes: settings.routes,
  reminderAfterHours: settings.reminderAfterHours,
  expiryNoticeHours: settings.expiryNoticeHours,
});

/** The route an item of this kind takes unless the item overrides it. */
export function integrationRoute(settings: ApprovalSettings | undefined, kind: ItemKind): StepRule[] {
  return settings?.routes[kind] ?? DEFAULT_ROUTES[kind];
}

export function ApprovalSettingsCard(props: { settings: ApprovalSettings }): ReactNode {
  const save = useSaveApprovalSettings(props.settings.integrationId);
  const [draft, setDraft] = useState<Draft>(() => toDraft(props.settings));
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const setRoute = (kind: ItemKind, steps: StepRule[] | null) => {
    // An inherited route is absent from `routes`, not null: the contract's Partial<Record<…>>.
    const others = Object.entries(draft.routes).filter(([k]) => k !== kind);
    set({ routes: Object.fromEntries(steps === null ? others : [...others, [kind, steps]]) });
  };
  const complete = ITEM_KINDS.every((kind) => isRouteComplete(draft.routes[kind] ?? null));
  return (
    <Card withBorder>
      <Stack>
        <Title order={4}>Approval settings</Title>
        <UserMultiSelect
          label="Integration owners"
          description="Approve products, and take over when nobody else is eligible"
          value={draft.ownerUserIds}
          onChange={(ownerUserIds) => set({ ownerUserIds })}
        />
        {draft.ownerUserIds.length === 0 && (
          <Text size="sm" c="orange">
            Without owners, requests nobody else can approve are flagged to the admins.
          </Text>
        )}
        <Group>
          <NumberInput
            label="Remind after (hours)"
            description="A second period without a decision escalates to the owners"
            min={1}
            max={MAX_HOURS}
            value={draft.reminderAfterHours}
            onChange={(v) =>
              set({ reminderAfterHours: typeof v === 'number' ? v : draft.reminderAfterHours })
            }
            w={260}
          />
          <NumberInput
            label="Expiry notice (hours before)"
            min={1}
            max={MAX_HOURS}
            value={draft.expiryNoticeHours}
            onChange={(v) => set({ expiryNoticeHours: typeof v === 'number' ? v : draft.expiryNoticeHours })}
            w={260}
          />
        </Group>
        {ITEM_KINDS.map((kind) => (
          <RouteEditor
            key={kind}
            kind={kind}
            label={`Route for ${KIND_LABELS[kind].toLowerCase()} requests`}
            value={draft.routes[kind] ?? null}
            inherited={DEFAULT_ROUTES[kind]}
            inheritLabel="Default"
            onChange={(steps) => setRoute(kind, steps)}
          />
        ))}
        {save.isError && (
          <Alert color="red" title="Could not save" role="alert">
            {errorMessage(save.error)}
          </Alert>
        )}
        {save.isSuccess && (
          <Text size="sm" c="green">
            Saved.
          </Text>
        )}
        <Group>
          <Button disabled={!complete} loading={save.isPending} onClick={() => save.mutate(draft)}>
            Save settings
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
