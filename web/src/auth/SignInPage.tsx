import { Alert, Button, Center, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { ApiError, errorMessage } from '../api/client.ts';
import { useSignIn } from './session.ts';

function signInError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return 'Wrong email or password.';
    if (error.status === 429) return 'Too many failed attempts. Wait a few minutes, then try again.';
  }
  return errorMessage(error);
}

export function SignInPage(): ReactNode {
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  return (
    <Center h="100vh">
      <Paper withBorder shadow="sm" p="xl" w={380}>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            signIn.mutate({ email, password });
          }}
        >
          <Stack>
            <Title order={2}>Seatwarden</Title>
            <TextInput
              label="Email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            {signIn.isError && (
              <Alert color="red" role="alert">
                {signInError(signIn.error)}
              </Alert>
            )}
            <Button type="submit" loading={signIn.isPending}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
