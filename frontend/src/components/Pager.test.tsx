import { MantineProvider } from "@mantine/core";
import { act, fireEvent, render, renderHook, screen } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter } from "react-router";
import { describe, expect, it, vi } from "vitest";
import { useListParams } from "../lib/listParams";
import { Pager } from "./Pager";

const wrap = (ui: ReactNode) => render(<MantineProvider>{ui}</MantineProvider>);

describe("Pager", () => {
  it("turns a list paged by cursor with next/previous and says which page of how many", () => {
    const onCursor = vi.fn();
    const { rerender } = wrap(<Pager total={300_000} limit={50} offset={0} cursors={{ next: "n1", prev: null }} onCursor={onCursor} />);
    const nav = screen.getByRole("navigation");
    expect(nav).toHaveAccessibleName();
    expect(screen.getByTestId("page-of")).toHaveTextContent(/1\D+6[.,]000/);
    const [prev, next] = screen.getAllByRole("button");
    expect(prev).toBeDisabled();
    fireEvent.click(next);
    expect(onCursor).toHaveBeenLastCalledWith("n1", 2);
    // page 3 goes back by its prev cursor; page 2 goes back to the first page (no cursor)
    rerender(
      <MantineProvider>
        <Pager total={300_000} limit={50} offset={100} cursors={{ next: "n3", prev: "p3" }} onCursor={onCursor} />
      </MantineProvider>,
    );
    fireEvent.click(screen.getAllByRole("button")[0]);
    expect(onCursor).toHaveBeenLastCalledWith("p3", 2);
    rerender(
      <MantineProvider>
        <Pager total={300_000} limit={50} offset={50} cursors={{ next: "n2", prev: "p2" }} onCursor={onCursor} />
      </MantineProvider>,
    );
    fireEvent.click(screen.getAllByRole("button")[0]);
    expect(onCursor).toHaveBeenLastCalledWith(null, 1);
    // the last page has no next
    rerender(
      <MantineProvider>
        <Pager total={120} limit={50} offset={100} cursors={{ next: null, prev: "p" }} onCursor={onCursor} />
      </MantineProvider>,
    );
    expect(screen.getAllByRole("button")[1]).toBeDisabled();
  });

  it("says a search matched more rows than it counted, and pages on past the count by cursor", () => {
    const onCursor = vi.fn();
    wrap(<Pager total={1_000} totalCapped limit={50} offset={1_200} cursors={{ next: "n26", prev: "p25" }} onCursor={onCursor} />);
    expect(screen.getByTestId("total")).toHaveTextContent(/1[.,]000/);
    expect(screen.getByTestId("total")).not.toHaveTextContent(/^1[.,]000 rows$/);
    expect(screen.getByTestId("page-of")).toHaveTextContent(/^\D*25$/); // no "of 20": the count stopped
    fireEvent.click(screen.getAllByRole("button")[1]);
    expect(onCursor).toHaveBeenLastCalledWith("n26", 26);
  });

  it("keeps the page numbers for a list without cursors", () => {
    const onOffset = vi.fn();
    wrap(<Pager total={120} limit={50} offset={0} onOffset={onOffset} onCursor={() => {}} />);
    expect(screen.queryByTestId("page-of")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: /3/ }));
    expect(onOffset).toHaveBeenCalledWith(100);
  });
});

describe("useListParams", () => {
  it("holds the cursor and the page number in the URL, and a filter starts again from the first page", () => {
    const wrapper = ({ children }: { children: ReactNode }) => <MemoryRouter initialEntries={["/x?offset=50"]}>{children}</MemoryRouter>;
    const { result } = renderHook(() => useListParams(), { wrapper });
    expect(result.current.position).toEqual({ offset: 50 });
    act(() => result.current.page(50).onCursor("c3", 3));
    expect(result.current.position).toEqual({ cursor: "c3" });
    expect(result.current.page(50).offset).toBe(100);
    act(() => result.current.set("q", "seruni"));
    expect(result.current.position).toEqual({ offset: 0 });
    act(() => result.current.page(50).onCursor("c2", 2));
    act(() => result.current.page(50).onCursor(null, 1));
    expect(result.current.position).toEqual({ offset: 0 });
  });
});
