// Connecting a site and organization, walked through as the vendors' setup guides do it:
// fill in, test the connection, save, then watch the first sync.
import {
  Accordion,
  Alert,
  Anchor,
  Button,
  Checkbox,
  Code,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { api, ApiError, errorMessage } from '../api/client.ts';
import type { ConnectionReport, IntegrationSummary } from '../api/types.ts';
import { Link } from '../router.tsx';
import { ConnectionChecks } from './ConnectionChecks.tsx';
import {
  EMPTY_FORM,
  fieldErrorsOf,
  reportOf,
  toIntegrationInput,
  type IntegrationFormValues,
} from './form.ts';
import { FirstSync } from './FirstSync.tsx';

const TOKEN_PAGE = 'https://id.atlassian.com/manage-profile/security/api-tokens';

export function NewIntegrationPage(): ReactNode {
  const [saved, setSaved] = useState<IntegrationSummary | null>(null);
  if (saved !== null) return <FirstSync integration={saved} />;
  return <IntegrationForm onSaved={setSaved} />;
}

function IntegrationForm(props: { onSaved: (integration: IntegrationSummary) => void }): ReactNode {
  const client = useQueryClient();
  const [values, setValues] = useState<IntegrationFormValues>(EMPTY_FORM);
  const [report, setReport] = useState<ConnectionReport | null>(null);

  const test = useMutation({
    mutationFn: () => api.post<ConnectionReport>('/integrations/test', toIntegrationInput(values)),
    onMutate: () => setReport(null),
    onSuccess: setReport,
  });
  const save = useMutation({
    mutationFn: () => api.post<IntegrationSummary>('/integrations', toIntegrationInput(values)),
    onSuccess: async (integration) => {
      await client.invalidateQueries({ queryKey: ['integrations'] });
      props.onSaved(integration);
    },
    onError: (error) => setReport(reportOf(error)),
  });

  const failure = save.error ?? test.error;
  const { fields, form } = fieldErrorsOf(failure);
  const set =
    <K extends keyof IntegrationFormValues>(key: K) =>
    (value: IntegrationFormValues[K]) =>
      setValues((current) => ({ ...current, [key]: value }));
  const text = (key: Exclude<keyof IntegrationFormValues, 'useGateway'>) => ({
    value: values[key],
    onChange: (event: { currentTarget: { value: string } }) => set(key)(event.currentTarget.value),
    error: fields[key],
  });

  return (
    <Stack maw={720}>
      <Title order={2}>Connect an Atlassian site</Title>
      <Paper withBorder p="md">
        <Stack>
          <Title order={4}>Site</Title>
          <TextInput
            label="Label"
            description="A short name for this site, e.g. acme-prod"
            required
            {...text('label')}
          />
          <TextInput
            label="Site URL"
            placeholder="https://your-site.atlassian.net"
            description="The address you open Jira at."
            required
            {...text('siteUrl')}
          />
          <TextInput
            label="Admin email"
            description="The email of the site admin account that owns the API token."
            required
            {...text('email')}
          />
          <PasswordInput
            label="API token"
            required
            description={
              <>
                Create it at{' '}
                <Anchor href={TOKEN_PAGE} target="_blank" rel="noreferrer" size="xs">
                  id.atlassian.com › Security › API tokens
                </Anchor>{' '}
                while signed in as that admin. Scoped API tokens only work through the API gateway (see
                Advanced).
              </>
            }
            {...text('apiToken')}
          />
        </Stack>
      </Paper>
      <Paper withBorder p="md">
        <Stack>
          <Title order={4}>Organization (optional, recommended)</Title>
          <Text size="sm" c="dimmed">
            With the organization, Seatwarden sees last-active dates, billable seats and managed accounts.
          </Text>
          <TextInput
            label="Organization ID"
            description={
              <>
                From the address of admin.atlassian.com:{' '}
                <Code>admin.atlassian.com/o/&lt;id&gt;/overview</Code>
              </>
            }
            {...text('orgId')}
          />
          <PasswordInput
            label="Organization API key"
            description="admin.atlassian.com › Settings › API keys › Create API key. Create it WITHOUT scopes, and note its expiry date."
            {...text('orgApiKey')}
          />
          <TextInput
            label="Org API key expires on"
            type="date"
            description="Seatwarden warns 14 days before the key expires (keys last one week by default)."
            {...text('orgKeyExpiresAt')}
          />
        </Stack>
      </Paper>
      <Accordion variant="contained">
        <Accordion.Item value="advanced">
          <Accordion.Control>Advanced</Accordion.Control>
          <Accordion.Panel>
            <Stack>
              <TextInput
                label="Admin API URL"
                placeholder="https://api.atlassian.com"
                description="Leave empty unless you reach the Atlassian admin API through a proxy."
                {...text('adminApiUrl')}
              />
              <Checkbox
                label="Use the API gateway (needed for scoped API tokens)"
                checked={values.useGateway}
                onChange={(event) => set('useGateway')(event.currentTarget.checked)}
              />
              {values.useGateway && (
                <TextInput
                  label="Gateway URL"
                  placeholder="https://api.atlassian.com"
                  description="Jira is then called at <gateway>/ex/jira/<cloudId>."
                  {...text('gatewayUrl')}
                />
              )}
            </Stack>
          </Accordion.Panel>
        </Accordion.Item>
      </Accordion>

      {form.length > 0 && (
        <Alert color="red" title="Please check the form" role="alert">
          {form.map((message) => (
            <Text key={message} size="sm">
              {message}
            </Text>
          ))}
        </Alert>
      )}
      {failure !== null &&
        !(
          failure instanceof ApiError &&
          ['invalid_input', 'integration_label_taken', 'connection_failed'].includes(failure.code)
        ) && (
          <Alert color="red" role="alert">
            {errorMessage(failure)}
          </Alert>
        )}
      {report !== null && (
        <Alert
          color={report.ok ? 'green' : 'red'}
          title={report.ok ? 'Connection works' : 'Connection failed'}
          data-testid="connection-result"
        >
          <ConnectionChecks report={report} />
        </Alert>
      )}
      <Group>
        <Button variant="default" onClick={() => test.mutate()} loading={test.isPending}>
          Test connection
        </Button>
        <Button onClick={() => save.mutate()} loading={save.isPending}>
          Save and sync
        </Button>
        <Link to="/integrations">Cancel</Link>
      </Group>
    </Stack>
  );
}
