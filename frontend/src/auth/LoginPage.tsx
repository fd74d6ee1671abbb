import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useLocation, useNavigate } from "react-router";
import { ApiError, fieldErrors } from "../api/problems";
import { LanguageSwitch } from "../layout/LanguageSwitch";
import { useAuth } from "./auth";

export function LoginPage() {
  const { t } = useTranslation();
  const { me, login, expired } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? "/";
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (me) return <Navigate to={from} replace />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username, password);
      navigate(from, { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const fields = fieldErrors(error);
  let message: string | null = null;
  if (error instanceof ApiError) {
    if (error.status === 401) message = t("login.failed");
    else if (error.status === 429) message = t("login.throttled");
    else if (error.status !== 422) message = error.message;
  } else if (error) message = String(error);

  return (
    <Center mih="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={380}>
        <form onSubmit={submit} noValidate>
          <Stack>
            <div>
              <Title order={1} size="h2">{t("login.title")}</Title>
              <Text c="dimmed" size="sm">
                {t("login.subtitle")}
              </Text>
            </div>
            {expired && !error && <Alert color="yellow">{t("login.expired")}</Alert>}
            {message && (
              <Alert color="red" role="alert">
                {message}
              </Alert>
            )}
            <TextInput
              label={t("login.username")}
              name="username"
              autoComplete="username"
              value={username}
              onChange={(e) => setUsername(e.currentTarget.value)}
              error={fields.username}
              required
              autoFocus
            />
            <PasswordInput
              label={t("login.password")}
              name="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={fields.password}
              required
            />
            <Button type="submit" loading={busy}>
              {t("login.submit")}
            </Button>
            <LanguageSwitch />
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
