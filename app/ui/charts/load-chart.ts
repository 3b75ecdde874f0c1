import type { Chart as ChartClass } from "chart.js";

let loading: Promise<typeof ChartClass> | null = null;

/**
 * chart.js, loaded in the browser only (a separate chunk, never in the server render), with just
 * the pieces the bar and line charts use registered (tree-shaken).
 */
export function loadChart(): Promise<typeof ChartClass> {
  loading ??= import("chart.js").then(
    ({ Chart, BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip, Filler }) => {
      // Filler shades the area between two lines (the forecast's low–high range)
      Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip, Filler);
      // The page's own font stack, so Chinese labels use the same CJK font as the text around them.
      Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
      Chart.defaults.color = "#3a4656";
      return Chart;
    },
  );
  return loading;
}
