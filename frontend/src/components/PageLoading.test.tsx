import { MantineProvider } from "@mantine/core";
import { render, screen } from "@testing-library/react";
import { Suspense, lazy } from "react";
import { describe, expect, it } from "vitest";
import { PageLoading } from "./PageLoading";

describe("a screen whose code is on its way", () => {
  it("says so to a screen reader: a status region reading 'Memuat…', the spinner hidden from it", async () => {
    const NeverArrives = lazy(() => new Promise<{ default: () => null }>(() => {}));
    render(
      <MantineProvider>
        <Suspense fallback={<PageLoading />}>
          <NeverArrives />
        </Suspense>
      </MantineProvider>,
    );
    const status = await screen.findByRole("status");
    expect(status).toHaveTextContent("Memuat…");
    expect(status).toHaveAttribute("aria-live", "polite");
    expect(status.querySelector(".mantine-Loader-root")).toHaveAttribute("aria-hidden", "true");
  });
});
