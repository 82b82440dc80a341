// Loading and error states shared by every page, so each page renders only its data.
import { Alert, Center, Loader } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { errorMessage } from '../api/client.ts';

export function QueryState<T>(props: {
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
}): ReactNode {
  const { query } = props;
  if (query.isPending) {
    return (
      <Center p="xl">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (query.isError) {
    return (
      <Alert color="red" title="Could not load" role="alert">
        {errorMessage(query.error)}
      </Alert>
    );
  }
  return props.children(query.data);
}
