import type { Chart as ChartClass } from "chart.js";

let loading: Promise<typeof ChartClass> | null = null;

/**
 * chart.js, loaded in the browser only (a separate chunk, never in the server render), with just
 * the pieces the dashboard's bar and line charts use registered (tree-shaken).
 */
export function loadChart(): Promise<typeof ChartClass> {
  loading ??= import("chart.js").then(
    ({ Chart, BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip }) => {
      Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);
      // The page's own font stack, so Chinese labels use the same CJK font as the text around them.
      Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
      Chart.defaults.color = "#3a4656";
      return Chart;
    },
  );
  return loading;
}
