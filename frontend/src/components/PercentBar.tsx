// A figure with its percentage and a thin bar of it, for the cells of a board's table.
import { Group, Progress, Stack, Text } from "@mantine/core";
import { formatNumber, formatPercent } from "../lib/format";

export function PercentBar({ value, pct, color }: { value: number; pct: number | null; color: string }) {
  return (
    <Stack gap={2}>
      <Group gap={6} justify="flex-end" wrap="nowrap">
        <Text size="sm" fw={600}>
          {formatNumber(value)}
        </Text>
        <Text size="xs" c="dimmed">
          {formatPercent(pct)}
        </Text>
      </Group>
      {/* the figures beside it say it: the bar is only a picture of them */}
      <Progress value={pct ?? 0} color={color} size="xs" aria-hidden />
    </Stack>
  );
}
