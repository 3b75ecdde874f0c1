/** The components other features may show (the rest of this folder is the feature's own). */
export { useKpiText } from "./kpi-card";
export { AgingChart, CollectionChart, DsoOverdueChart } from "./trend-charts";
