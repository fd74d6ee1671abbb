// A line chart of counts over months (the home's trends, the activity reports' 12 months): whole
// numbers in the locale's format, the legend below, straight segments between months.
import { LineChart, type LineChartSeries } from "@mantine/charts";
import { formatNumber } from "../lib/format";

export function CountsLineChart({ data, series }: { data: Record<string, unknown>[]; series: LineChartSeries[] }) {
  return (
    <LineChart
      h={240}
      data={data}
      dataKey="label"
      withLegend
      legendProps={{ verticalAlign: "bottom" }}
      valueFormatter={(v) => formatNumber(v)}
      curveType="linear"
      yAxisProps={{ allowDecimals: false }}
      series={series}
    />
  );
}
