import type { Chart, ChartConfiguration, ChartType } from "chart.js";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { loadChart } from "./load-chart";

/**
 * A chart.js canvas drawn in the browser only. The server (and a browser without JavaScript)
 * renders a placeholder of the same size; the chart's figures are always in the table that goes
 * with it. `label` describes the chart for screen readers (the canvas itself is just pixels).
 */
export function ChartCanvas<T extends ChartType>({
  label,
  config,
  height = 300,
}: {
  label: string;
  /** keep it stable (useMemo): a new object redraws the chart */
  config: ChartConfiguration<T>;
  height?: number;
}) {
  const { t } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);

  useEffect(() => {
    if (!mounted) return;
    let chart: Chart<T> | undefined;
    let cancelled = false;
    void loadChart().then((ChartClass) => {
      if (cancelled || !canvas.current) return;
      // the class loaded is Chart.js's Chart, made with a config of type T
      chart = new ChartClass(canvas.current, config) as unknown as Chart<T>;
    });
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [mounted, config]);

  return (
    <div className="chart" style={{ height }}>
      {mounted ? (
        <canvas ref={canvas} role="img" aria-label={label} />
      ) : (
        <div className="chart__placeholder">
          <noscript>{t("dashboard.charts.noScript")}</noscript>
        </div>
      )}
    </div>
  );
}
