import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import { formatDate, formatDateTime, parseDate } from "../lib/format";
import { DateField } from "./DateField";
import { Form } from "./FormModal";

/** A form with one date field; `sent` receives what Save would send. */
function DateForm({ initial = "", required = false, sent }: { initial?: string; required?: boolean; sent: (day: string) => void }) {
  const [day, setDay] = useState(initial);
  const [client] = useState(() => new QueryClient());
  return (
    <MantineProvider>
      <QueryClientProvider client={client}>
      <Form onSubmit={() => sent(day)} onCancel={() => {}} mutation={{ isPending: false, error: null }} fields={["held_on"]}>
        <DateField label="Tanggal rapat" value={day} onChange={setDay} required={required} />
      </Form>
      </QueryClientProvider>
    </MantineProvider>
  );
}

function renderForm(props: Partial<Parameters<typeof DateForm>[0]> = {}) {
  const sent = vi.fn();
  render(<DateForm sent={sent} {...props} />);
  return { sent, input: screen.getByRole("textbox", { name: /Tanggal rapat/ }) };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("DateField", () => {
  it("takes a day typed as dd/mm/yyyy and sends it as YYYY-MM-DD", async () => {
    const { sent, input } = renderForm({ required: true });
    expect(input).toHaveAttribute("placeholder", "hh/bb/tttt");
    await userEvent.type(input, "07/12/2026");
    await userEvent.click(screen.getByRole("button", { name: "Simpan" }));
    expect(sent).toHaveBeenCalledWith("2026-12-07");
    // shown back as typed, the Indonesian way
    expect(input).toHaveValue("07/12/2026");
  });

  it("shows a stored day as dd/mm/yyyy in an English UI in an English (US) browser, and reads dd/mm/yyyy there too", async () => {
    vi.stubGlobal("navigator", { ...navigator, language: "en-US", languages: ["en-US"] });
    await i18n.changeLanguage("en");
    const { sent, input } = renderForm({ initial: "2026-12-07" });
    expect(input).toHaveValue("07/12/2026");
    expect(input).toHaveAttribute("placeholder", "dd/mm/yyyy");
    // 03/04/2026 is the 3rd of April, not March 4th
    await userEvent.clear(input);
    await userEvent.type(input, "03/04/2026");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(sent).toHaveBeenCalledWith("2026-04-03");
    // and every shown date is dd/mm/yyyy too
    expect(formatDate("2026-12-07")).toBe("07/12/2026");
  });

  it("shows an accessible error for a day that does not exist, and does not submit", async () => {
    const { sent, input } = renderForm({ initial: "2026-02-01" });
    await userEvent.clear(input);
    await userEvent.type(input, "31/02/2026");
    await userEvent.tab();
    const message = "Tanggal tidak valid: tulis hh/bb/tttt, misalnya 07/12/2026";
    expect(input).toHaveValue("31/02/2026"); // kept as typed, to be corrected
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(input).toHaveAccessibleDescription(message);
    await userEvent.click(screen.getByRole("button", { name: "Simpan" }));
    expect(sent).not.toHaveBeenCalled();
    // corrected, the error goes and the form submits
    await userEvent.clear(input);
    await userEvent.type(input, "28/02/2026");
    await userEvent.tab();
    await waitFor(() => expect(input).toHaveAttribute("aria-invalid", "false"));
    expect(screen.queryByText(message)).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "Simpan" }));
    expect(sent).toHaveBeenCalledWith("2026-02-28");
  });

  it("is cleared by its labelled clear button when optional", async () => {
    const { sent } = renderForm({ initial: "2026-12-07" });
    await userEvent.click(screen.getByRole("button", { name: "Kosongkan tanggal" }));
    await userEvent.click(screen.getByRole("button", { name: "Simpan" }));
    expect(sent).toHaveBeenCalledWith("");
  });
});

describe("date text", () => {
  it("parses dd/mm/yyyy (and YYYY-MM-DD) to the API's day, and nothing that is not a day", () => {
    expect(parseDate("07/12/2026")).toBe("2026-12-07");
    expect(parseDate("7/1/2026")).toBe("2026-01-07");
    expect(parseDate("07.12.2026")).toBe("2026-12-07");
    expect(parseDate("2026-12-07")).toBe("2026-12-07");
    expect(parseDate("29/02/2028")).toBe("2028-02-29");
    for (const bad of ["29/02/2026", "32/01/2026", "12/13/2026", "07/12/26", "07/12/2026x", ""]) expect(parseDate(bad)).toBeNull();
  });

  it("shows days and times as dd/mm/yyyy in both languages, times in Asia/Jakarta", async () => {
    expect(formatDate("2024-03-05T10:00:00Z")).toBe("05/03/2024");
    expect(formatDateTime("2024-03-05T20:30:00Z")).toBe("06/03/2024 03.30");
    await i18n.changeLanguage("en");
    expect(formatDate("2025-06-30")).toBe("30/06/2025");
    expect(formatDateTime("2024-03-05T20:30:00Z")).toBe("06/03/2024 03:30");
  });
});
