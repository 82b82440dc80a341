// Create (invite) a user on a site, optionally with Jira products.
import { MultiSelect, TextInput } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { IntegrationSelect } from '../components/IntegrationSelect.tsx';
import { ActionButton } from './ActionButton.tsx';
import { useCanRunActions } from './api.ts';

// The products Jira's user-create endpoint accepts (src/actions/catalog-accounts.ts).
const JIRA_PRODUCTS = ['jira-software', 'jira-servicedesk', 'jira-core', 'jira-product-discovery'];

export function CreateUserButton(): ReactNode {
  const allowed = useCanRunActions();
  const [integrationId, setIntegrationId] = useState<string | undefined>();
  const [email, setEmail] = useState('');
  const [products, setProducts] = useState<string[]>([]);
  if (!allowed) return null;
  const trimmed = email.trim();
  return (
    <ActionButton
      label="Create user"
      variant="filled"
      size="sm"
      integrationId={integrationId ?? ''}
      form={
        <>
          <IntegrationSelect value={integrationId} onChange={setIntegrationId} allowAll={false} />
          <TextInput
            label="Email"
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <MultiSelect
            label="Products"
            data={JIRA_PRODUCTS}
            value={products}
            onChange={setProducts}
            comboboxProps={{ withinPortal: true }}
          />
        </>
      }
      request={
        integrationId === undefined || !trimmed.includes('@')
          ? null
          : { kind: 'createUser', input: { email: trimmed, products } }
      }
      onClosed={() => {
        setEmail('');
        setProducts([]);
      }}
    />
  );
}
