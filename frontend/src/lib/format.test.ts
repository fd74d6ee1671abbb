import { describe, expect, it } from "vitest";
import { formatDate, formatDateAt, formatDateTime, formatNumber, formatRupiah } from "./format";
import i18n from "../i18n";

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("id-ID formatting", () => {
  it("formats numbers, rupiah and dates the Indonesian way by default", () => {
    expect(formatNumber(83762)).toBe("83.762");
    expect(nbsp(formatRupiah(1250000))).toBe("Rp 1.250.000");
    expect(formatDate("2024-03-05T10:00:00Z")).toBe("05/03/2024");
    // stored in UTC, shown in Asia/Jakarta (UTC+7)
    expect(formatDateTime("2024-03-05T20:30:00Z")).toBe("06/03/2024 03.30");
    expect(formatNumber(null)).toBe("—");
  });

  it("follows the language switch", async () => {
    await i18n.changeLanguage("en");
    expect(formatNumber(83762)).toBe("83,762");
    expect(nbsp(formatRupiah(1250000))).toMatch(/IDR\s?1,250,000/);
    // a day stays dd/mm/yyyy in English
    expect(formatDate("2024-03-05")).toBe("05/03/2024");
  });
});

describe("formatDateAt", () => {
  it("shows a month-precision date as month and year, in both languages", () => {
    expect(formatDateAt("2025-07-01", "month", "id-ID")).toBe("Juli 2025");
    expect(formatDateAt("2025-07-01", "month", "en-GB")).toBe("July 2025");
    expect(formatDateAt("2025-07-01", "day", "id-ID")).toBe("01/07/2025");
  });
});
